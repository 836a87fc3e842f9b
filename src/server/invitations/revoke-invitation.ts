import { recordAuditEvent } from "~/server/audit/record-audit-event";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";

/** Revokes a pending invitation of the project; its link stops working at once. */
export async function revokeInvitation(options: {
  db: Db;
  projectId: string;
  actorId: string;
  invitationId: string;
}): Promise<{ id: string }> {
  const revoked = await options.db.invitation.updateMany({
    where: { id: options.invitationId, projectId: options.projectId, acceptedAt: null, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (revoked.count === 0)
    throw new AppError("NOT_FOUND", "Invitation not found (or already used or revoked)");
  await recordAuditEvent({
    db: options.db,
    projectId: options.projectId,
    actorId: options.actorId,
    action: "invitation.revoke",
    targetType: "Invitation",
    targetId: options.invitationId,
  });
  return { id: options.invitationId };
}
