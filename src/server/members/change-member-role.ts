import type { Role } from "~/core/roles";
import { assertTouched, changeProject, type ProjectChangeScope } from "~/server/audit/record-change";
import { assertOwnerRemains } from "./assert-owner-remains";

export async function changeMemberRole(options: ProjectChangeScope & { userId: string; role: Role }) {
  const record = {
    action: "member.role",
    target: { type: "User", id: options.userId },
    data: { role: options.role },
  } as const;
  await changeProject(options, record, async (tx) => {
    assertTouched(
      await tx.membership.updateMany({
        where: { projectId: options.projectId, userId: options.userId },
        data: { role: options.role },
      }),
      "Member not found",
    );
    await assertOwnerRemains(tx, options.projectId);
  });
}
