import type { Db } from "~/server/db";
import { recordChange } from "~/server/audit/record-change";
import { AppError } from "~/server/errors";

/** Deletes the row; the blob stays (content-addressed, possibly shared by other images). */
export async function deleteImage(options: { db: Db; projectId: string; actorId: string; imageId: string }) {
  await options.db.$transaction(async (tx) => {
    const deleted = await tx.image.deleteMany({
      where: { id: options.imageId, projectId: options.projectId },
    });
    if (deleted.count === 0) throw new AppError("NOT_FOUND", "Image not found");
    await recordChange(tx, {
      projectId: options.projectId,
      actorId: options.actorId,
      action: "image.delete",
      target: { type: "Image", id: options.imageId },
    });
  });
}
