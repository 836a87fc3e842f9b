import type { Db } from "~/server/db";
import { recordChange } from "~/server/audit/record-change";
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
    await recordChange(tx, {
      projectId: options.projectId,
      actorId: options.actorId,
      action: options.userId === options.actorId ? "member.leave" : "member.remove",
      target: { type: "User", id: options.userId },
    });
  });
}
