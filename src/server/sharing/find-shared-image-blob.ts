/**
 * Byte lookups of the shared routes. Both start from the token (resolveShareLink) and then find
 * the image only inside the link's scope, in the query: an image id from another dataset or
 * project answers null exactly like an id that does not exist.
 */
import { findAnalysisMap } from "~/server/analysis/analysis-maps";
import type { Db } from "~/server/db";
import { resolveShareLink } from "./resolve-share-link";
import { imageInScopeWhere } from "./share-scope";

export async function findSharedImageBlob(options: { db: Db; token: string; imageId: string }) {
  const link = await resolveShareLink(options);
  return options.db.image.findFirst({
    where: imageInScopeWhere(link, options.imageId),
    select: { blobKey: true, thumbnailKey: true, sha256: true, bitDepth: true, format: true },
  });
}

/** The newest analysis' map `mapName` of a shared image, if the link includes that overlay. */
export async function findSharedOverlay(options: {
  db: Db;
  token: string;
  imageId: string;
  mapName: string;
}) {
  const link = await resolveShareLink(options);
  const analysis = await options.db.analysis.findFirst({
    where: { imageId: options.imageId, image: imageInScopeWhere(link, options.imageId) },
    orderBy: { createdAt: "desc" },
    select: { mapKeys: true },
  });
  if (!analysis) return null;
  const map = findAnalysisMap(analysis.mapKeys, options.mapName);
  if (!map || !(link.scope.include.overlays as string[]).includes(map.role)) return null;
  return map;
}
