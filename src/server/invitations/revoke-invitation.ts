import { recordChange } from "~/server/audit/record-change";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";

/** Revokes a pending invitation of the project; its link stops working at once. */
export async function revokeInvitation(options: {
  db: Db;
  projectId: string;
  actorId: string;
  invitationId: string;
}): Promise<{ id: string }> {
  await options.db.$transaction(async (tx) => {
    const revoked = await tx.invitation.updateMany({
      where: { id: options.invitationId, projectId: options.projectId, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (revoked.count === 0)
      throw new AppError("NOT_FOUND", "Invitation not found (or already used or revoked)");
    await recordChange(tx, {
      projectId: options.projectId,
      actorId: options.actorId,
      action: "invitation.revoke",
      target: { type: "Invitation", id: options.invitationId },
    });
  });
  return { id: options.invitationId };
}
