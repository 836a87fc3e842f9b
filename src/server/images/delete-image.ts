import type { Db } from "~/server/db";
import { recordAuditEvent } from "~/server/audit/record-audit-event";
import { AppError } from "~/server/errors";

/** Deletes the row; the blob stays (content-addressed, possibly shared by other images). */
export async function deleteImage(options: { db: Db; projectId: string; actorId: string; imageId: string }) {
  const deleted = await options.db.image.deleteMany({
    where: { id: options.imageId, projectId: options.projectId },
  });
  if (deleted.count === 0) throw new AppError("NOT_FOUND", "Image not found");
  await recordAuditEvent({
    db: options.db,
    projectId: options.projectId,
    actorId: options.actorId,
    action: "image.delete",
    targetType: "Image",
    targetId: options.imageId,
  });
}
