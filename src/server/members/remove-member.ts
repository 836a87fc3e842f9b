import { assertTouched, changeProject, type ProjectChangeScope } from "~/server/audit/record-change";
import { assertOwnerRemains } from "./assert-owner-remains";

/** Removes a member (or lets a member leave, when userId is the actor). */
export async function removeMember(options: ProjectChangeScope & { userId: string }) {
  const action = options.userId === options.actorId ? "member.leave" : "member.remove";
  await changeProject(options, { action, target: { type: "User", id: options.userId } }, async (tx) => {
    assertTouched(
      await tx.membership.deleteMany({ where: { projectId: options.projectId, userId: options.userId } }),
      "Member not found",
    );
    await assertOwnerRemains(tx, options.projectId);
  });
}
