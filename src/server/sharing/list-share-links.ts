import type { Db } from "~/server/db";
import { shareScopeSchema, type ShareScope } from "./share-scope";

export type ShareLinkSummary = {
  id: string;
  scope: ShareScope;
  /** Dataset name or image file name, for the list. */
  targetName: string;
  expiresAt: Date | null;
  createdAt: Date;
  active: boolean;
};

/** The project's share links, newest first, revoked and expired ones included (marked inactive). */
export async function listShareLinks(options: { db: Db; projectId: string; now?: Date }): Promise<ShareLinkSummary[]> {
  const now = options.now ?? new Date();
  const links = await options.db.shareLink.findMany({
    where: { projectId: options.projectId },
    orderBy: { createdAt: "desc" },
    take: 200,
    select: { id: true, scope: true, expiresAt: true, revokedAt: true, createdAt: true },
  });
  const parsed = links.flatMap((link) => {
    const scope = shareScopeSchema.safeParse(link.scope);
    return scope.success ? [{ ...link, scope: scope.data }] : [];
  });
  const datasetIds = parsed.flatMap((l) => (l.scope.kind === "dataset" ? [l.scope.datasetId] : []));
  const imageIds = parsed.flatMap((l) => (l.scope.kind === "image" ? [l.scope.imageId] : []));
  const [datasets, images] = await Promise.all([
    options.db.dataset.findMany({
      where: { id: { in: datasetIds }, projectId: options.projectId },
      select: { id: true, name: true },
    }),
    options.db.image.findMany({
      where: { id: { in: imageIds }, projectId: options.projectId },
      select: { id: true, fileName: true },
    }),
  ]);
  const names = new Map<string, string>([
    ...datasets.map((d): [string, string] => [d.id, d.name]),
    ...images.map((i): [string, string] => [i.id, i.fileName]),
  ]);
  return parsed.map((link) => ({
    id: link.id,
    scope: link.scope,
    targetName: names.get(link.scope.kind === "dataset" ? link.scope.datasetId : link.scope.imageId) ?? "(deleted)",
    expiresAt: link.expiresAt,
    createdAt: link.createdAt,
    active: link.revokedAt === null && (link.expiresAt === null || link.expiresAt > now),
  }));
}
