import type { Role } from "~/generated/prisma/enums";
import type { Db } from "~/server/db";
import { recordChange } from "~/server/audit/record-change";
import { AppError } from "~/server/errors";
import { assertOwnerRemains } from "./assert-owner-remains";

export async function changeMemberRole(options: {
  db: Db;
  projectId: string;
  actorId: string;
  userId: string;
  role: Role;
}) {
  await options.db.$transaction(async (tx) => {
    const updated = await tx.membership.updateMany({
      where: { projectId: options.projectId, userId: options.userId },
      data: { role: options.role },
    });
    if (updated.count === 0) throw new AppError("NOT_FOUND", "Member not found");
    await assertOwnerRemains(tx, options.projectId);
    await recordChange(tx, {
      projectId: options.projectId,
      actorId: options.actorId,
      action: "member.role",
      target: { type: "User", id: options.userId },
      data: { role: options.role },
    });
  });
}
