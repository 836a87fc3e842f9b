import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";

export async function listImages(options: { db: Db; projectId: string; datasetId: string }) {
  const dataset = await options.db.dataset.findFirst({
    where: { id: options.datasetId, projectId: options.projectId },
    select: { id: true, name: true, description: true },
  });
  if (!dataset) throw new AppError("NOT_FOUND", "Dataset not found");
  const images = await options.db.image.findMany({
    where: { datasetId: dataset.id, projectId: options.projectId },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      fileName: true,
      sha256: true,
      format: true,
      width: true,
      height: true,
      bitDepth: true,
      channels: true,
      pageCount: true,
      pixelSizeUm: true,
      byteSize: true,
      createdAt: true,
      label: { select: { labelClassId: true } },
    },
  });
  return { dataset, images };
}
