import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";

/** The image, if it belongs to the project; NOT_FOUND otherwise (ids of other projects reveal nothing). */
export async function findProjectImage(options: { db: Db; projectId: string; imageId: string }) {
  const image = await options.db.image.findFirst({
    where: { id: options.imageId, projectId: options.projectId },
    select: { id: true, width: true, height: true },
  });
  if (!image) throw new AppError("NOT_FOUND", "Image not found");
  return image;
}

/** Throws BAD_INPUT unless the label class belongs to the project (null = no class is fine). */
export async function assertProjectLabelClass(options: {
  db: Db;
  projectId: string;
  labelClassId: string | null | undefined;
}): Promise<void> {
  if (!options.labelClassId) return;
  const found = await options.db.labelClass.count({
    where: { id: options.labelClassId, projectId: options.projectId },
  });
  if (found === 0) throw new AppError("BAD_INPUT", "That label class does not exist in this project");
}
