import type { Db } from "~/server/db";
import { recordAuditEvent } from "~/server/audit/record-audit-event";
import { AppError } from "~/server/errors";
import { assertOwnerRemains } from "./assert-owner-remains";

/** Removes a member (or lets a member leave, when userId is the actor). */
export async function removeMember(options: { db: Db; projectId: string; actorId: string; userId: string }) {
  await options.db.$transaction(async (tx) => {
    const deleted = await tx.membership.deleteMany({
      where: { projectId: options.projectId, userId: options.userId },
    });
    if (deleted.count === 0) throw new AppError("NOT_FOUND", "Member not found");
    await assertOwnerRemains(tx, options.projectId);
    await recordAuditEvent({
      db: tx,
      projectId: options.projectId,
      actorId: options.actorId,
      action: options.userId === options.actorId ? "member.leave" : "member.remove",
      targetType: "User",
      targetId: options.userId,
    });
  });
}
