import { recordChange } from "~/server/audit/record-change";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { generateSecretToken, hashSecretToken } from "./secret-token";
import { SHARE_LINK_MAX_DAYS } from "./share-limits";
import type { ShareInclude, ShareScope } from "./share-scope";

export type ShareTarget = { kind: "dataset"; datasetId: string } | { kind: "image"; imageId: string };

/**
 * Creates a read-only link to one dataset or one image of the project. The target must belong to
 * the project (checked in the query); the token is returned once and only its hash is stored.
 */
export async function createShareLink(options: {
  db: Db;
  projectId: string;
  actorId: string;
  target: ShareTarget;
  include: ShareInclude;
  /** null: until revoked. */
  expiresInDays: number | null;
  now?: Date;
}): Promise<{ id: string; token: string; expiresAt: Date | null; scope: ShareScope }> {
  const { db, projectId, target } = options;
  const found =
    target.kind === "dataset"
      ? await db.dataset.count({ where: { id: target.datasetId, projectId } })
      : await db.image.count({ where: { id: target.imageId, projectId } });
  if (found === 0) throw new AppError("NOT_FOUND", target.kind === "dataset" ? "Dataset not found" : "Image not found");
  if (options.expiresInDays !== null && !(options.expiresInDays > 0 && options.expiresInDays <= SHARE_LINK_MAX_DAYS)) {
    throw new AppError("BAD_INPUT", `A share link expires after 1 to ${SHARE_LINK_MAX_DAYS} days, or never`);
  }
  const include = { ...options.include, overlays: [...new Set(options.include.overlays)] };
  const scope: ShareScope =
    target.kind === "dataset"
      ? { v: 1, kind: "dataset", datasetId: target.datasetId, include }
      : { v: 1, kind: "image", imageId: target.imageId, include };
  const now = options.now ?? new Date();
  const expiresAt =
    options.expiresInDays === null ? null : new Date(now.getTime() + options.expiresInDays * 86_400_000);
  const token = generateSecretToken();
  const link = await db.$transaction(async (tx) => {
    const created = await tx.shareLink.create({
      data: { projectId, tokenHash: hashSecretToken(token), scope, expiresAt, createdById: options.actorId },
      select: { id: true },
    });
    await recordChange(tx, {
      projectId,
      actorId: options.actorId,
      action: "share.create",
      target: { type: "ShareLink", id: created.id },
      data: { scope, expiresAt: expiresAt?.toISOString() ?? null },
    });
    return created;
  });
  return { id: link.id, token, expiresAt, scope };
}
