import { recordAuditEvent } from "~/server/audit/record-audit-event";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";

/** Revokes a link of the project: every page and byte route behind it answers 404 from now on. */
export async function revokeShareLink(options: {
  db: Db;
  projectId: string;
  actorId: string;
  shareLinkId: string;
}): Promise<{ id: string }> {
  const revoked = await options.db.shareLink.updateMany({
    where: { id: options.shareLinkId, projectId: options.projectId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (revoked.count === 0) throw new AppError("NOT_FOUND", "Share link not found (or already revoked)");
  await recordAuditEvent({
    db: options.db,
    projectId: options.projectId,
    actorId: options.actorId,
    action: "share.revoke",
    targetType: "ShareLink",
    targetId: options.shareLinkId,
  });
  return { id: options.shareLinkId };
}
