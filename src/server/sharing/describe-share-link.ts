import type { Db } from "~/server/db";
import { resolveShareLink } from "./resolve-share-link";

/** What a share page needs first: which kind of link this is, and for an image link its image. */
export async function describeShareLink(options: { db: Db; token: string }) {
  const link = await resolveShareLink(options);
  return link.scope.kind === "image"
    ? { kind: "image" as const, imageId: link.scope.imageId }
    : { kind: "dataset" as const, imageId: null };
}
