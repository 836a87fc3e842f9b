import type { Db } from "~/server/db";
import { recordChange } from "~/server/audit/record-change";
import { AppError } from "~/server/errors";
import { MAX_EVENT_IMAGE_IDS } from "~/server/events/app-events";
import { assertProjectLabelClass } from "./find-project-image";

/**
 * Sets (or clears, with null) the image-level class of one or many images of the project, in one
 * transaction: the dataset view labels a whole selection at once.
 */
export async function setImageLabels(options: {
  db: Db;
  projectId: string;
  actorId: string;
  imageIds: string[];
  labelClassId: string | null;
}): Promise<{ imageIds: string[]; labelClassId: string | null }> {
  const imageIds = [...new Set(options.imageIds)];
  await assertProjectLabelClass(options);
  const found = await options.db.image.findMany({
    where: { id: { in: imageIds }, projectId: options.projectId },
    select: { id: true },
  });
  if (found.length !== imageIds.length) throw new AppError("NOT_FOUND", "Image not found");

  await options.db.$transaction(async (tx) => {
    if (options.labelClassId === null) {
      await tx.imageLabel.deleteMany({ where: { imageId: { in: imageIds } } });
    } else {
      const labelClassId = options.labelClassId;
      for (const imageId of imageIds) {
        await tx.imageLabel.upsert({
          where: { imageId },
          create: { imageId, labelClassId, authorId: options.actorId },
          update: { labelClassId, authorId: options.actorId },
        });
      }
    }
    await recordChange(tx, {
      projectId: options.projectId,
      actorId: options.actorId,
      action: options.labelClassId === null ? "imageLabel.clear" : "imageLabel.set",
      target: { type: "Image", id: imageIds.length === 1 ? imageIds[0]! : null },
      data: { imageIds, labelClassId: options.labelClassId },
      event: {
        type: "image-labels.changed",
        projectId: options.projectId,
        imageIds: imageIds.length <= MAX_EVENT_IMAGE_IDS ? imageIds : null,
        labelClassId: options.labelClassId,
        actorId: options.actorId,
      },
    });
  });
  return { imageIds, labelClassId: options.labelClassId };
}
