import type { Prisma } from "~/generated/prisma/client";
import { AppError } from "~/server/errors";

/** Most images one bulk change (move, delete) takes: a selection, not a whole archive. */
export const MAX_BULK_IMAGES = 1000;

/**
 * The images named by `imageIds` (duplicates dropped), read with `tx`; NOT_FOUND when any of
 * them is not the project's, so a list mixing another project's ids changes nothing.
 */
export async function findProjectImages(
  tx: Prisma.TransactionClient,
  options: { projectId: string; imageIds: readonly string[] },
) {
  const imageIds = [...new Set(options.imageIds)];
  const found = await tx.image.findMany({
    where: { id: { in: imageIds }, projectId: options.projectId },
    select: { id: true, fileName: true, sha256: true, datasetId: true },
    orderBy: { fileName: "asc" },
  });
  if (found.length !== imageIds.length) throw new AppError("NOT_FOUND", "Image not found");
  return found;
}
