import { recordChange } from "~/server/audit/record-change";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";

/** Revokes a link of the project: every page and byte route behind it answers 404 from now on. */
export async function revokeShareLink(options: {
  db: Db;
  projectId: string;
  actorId: string;
  shareLinkId: string;
}): Promise<{ id: string }> {
  await options.db.$transaction(async (tx) => {
    const revoked = await tx.shareLink.updateMany({
      where: { id: options.shareLinkId, projectId: options.projectId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (revoked.count === 0) throw new AppError("NOT_FOUND", "Share link not found (or already revoked)");
    await recordChange(tx, {
      projectId: options.projectId,
      actorId: options.actorId,
      action: "share.revoke",
      target: { type: "ShareLink", id: options.shareLinkId },
    });
  });
  return { id: options.shareLinkId };
}
