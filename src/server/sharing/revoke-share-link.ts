import { assertTouched, changeProject, type ProjectChangeScope } from "~/server/audit/record-change";

/** Revokes a link of the project: every page and byte route behind it answers 404 from now on. */
export async function revokeShareLink(options: ProjectChangeScope & { shareLinkId: string }): Promise<{ id: string }> {
  const target = { type: "ShareLink", id: options.shareLinkId };
  await changeProject(options, { action: "share.revoke", target }, async (tx) =>
    assertTouched(
      await tx.shareLink.updateMany({
        where: { id: options.shareLinkId, projectId: options.projectId, revokedAt: null },
        data: { revokedAt: new Date() },
      }),
      "Share link not found (or already revoked)",
    ),
  );
  return { id: options.shareLinkId };
}
