import type { Db } from "~/server/db";
import { creatorsWithShareRight } from "./creators-with-share-right";
import { shareScopeSchema, type ShareScope } from "./share-scope";

export type ShareLinkSummary = {
  id: string;
  scope: ShareScope;
  /** Dataset name or image file name, for the list. */
  targetName: string;
  expiresAt: Date | null;
  createdAt: Date;
  /** Who made the link (null: unknown, for links older than that record). */
  createdBy: { id: string; name: string | null; email: string } | null;
  active: boolean;
  /** Why an inactive link no longer opens. */
  inactiveReason: "revoked" | "expired" | "creator lost the right to share" | null;
};

/** The project's share links, newest first, revoked and expired ones included (marked inactive). */
export async function listShareLinks(options: { db: Db; projectId: string; now?: Date }): Promise<ShareLinkSummary[]> {
  const now = options.now ?? new Date();
  const links = await options.db.shareLink.findMany({
    where: { projectId: options.projectId },
    orderBy: { createdAt: "desc" },
    take: 200,
    select: { id: true, scope: true, expiresAt: true, revokedAt: true, createdAt: true, createdById: true },
  });
  const parsed = links.flatMap((link) => {
    const scope = shareScopeSchema.safeParse(link.scope);
    return scope.success ? [{ ...link, scope: scope.data }] : [];
  });
  const datasetIds = parsed.flatMap((l) => (l.scope.kind === "dataset" ? [l.scope.datasetId] : []));
  const imageIds = parsed.flatMap((l) => (l.scope.kind === "image" ? [l.scope.imageId] : []));
  const creatorIds = [...new Set(parsed.flatMap((l) => (l.createdById ? [l.createdById] : [])))];
  const [datasets, images, creators, sharing] = await Promise.all([
    options.db.dataset.findMany({
      where: { id: { in: datasetIds }, projectId: options.projectId },
      select: { id: true, name: true },
    }),
    options.db.image.findMany({
      where: { id: { in: imageIds }, projectId: options.projectId },
      select: { id: true, fileName: true },
    }),
    options.db.user.findMany({ where: { id: { in: creatorIds } }, select: { id: true, name: true, email: true } }),
    creatorsWithShareRight({ db: options.db, projectId: options.projectId, creatorIds }),
  ]);
  const creatorById = new Map(creators.map((user) => [user.id, user]));
  const inactiveReason = (link: (typeof parsed)[number]): ShareLinkSummary["inactiveReason"] => {
    if (link.revokedAt !== null) return "revoked";
    if (link.expiresAt !== null && link.expiresAt <= now) return "expired";
    if (!link.createdById || !sharing.has(link.createdById)) return "creator lost the right to share";
    return null;
  };
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
    createdBy: (link.createdById && creatorById.get(link.createdById)) || null,
    active: inactiveReason(link) === null,
    inactiveReason: inactiveReason(link),
  }));
}
