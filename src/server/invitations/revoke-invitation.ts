import { assertTouched, changeProject, type ProjectChangeScope } from "~/server/audit/record-change";

/** Revokes a pending invitation of the project; its link stops working at once. */
export async function revokeInvitation(
  options: ProjectChangeScope & { invitationId: string },
): Promise<{ id: string }> {
  const target = { type: "Invitation", id: options.invitationId };
  await changeProject(options, { action: "invitation.revoke", target }, async (tx) =>
    assertTouched(
      await tx.invitation.updateMany({
        where: { id: options.invitationId, projectId: options.projectId, acceptedAt: null, revokedAt: null },
        data: { revokedAt: new Date() },
      }),
      "Invitation not found (or already used or revoked)",
    ),
  );
  return { id: options.invitationId };
}
