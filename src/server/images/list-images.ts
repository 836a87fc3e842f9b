import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { pixelSizeOf } from "~/server/objects/pixel-size";

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
      pixelSizeUnit: true,
      byteSize: true,
      createdAt: true,
      label: { select: { labelClassId: true } },
    },
  });
  // pixelSize: { value, unit } as set (µm when read from the file), or null.
  return { dataset, images: images.map((image) => ({ ...image, pixelSize: pixelSizeOf(image) })) };
}
