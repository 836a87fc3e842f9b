/**
 * scale.set: sets (or clears, with null) the physical pixel size of one image or of every image of
 * a dataset. The value is checked with the core's assertPixelSize (finite, > 0, unit "nm", "µm"
 * or "mm"), stored as micrometres plus the unit it was given in (pixel-size.ts), and the change is
 * audited ("scale.set"). Object sets need no recomputation: their units are derived when read.
 */
import "server-only";
import { assertPixelSize, type PixelSize } from "~/core/objects/units";
import { assertTouched, changeProject } from "~/server/audit/record-change";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { pixelSizeColumns } from "./pixel-size";

export type ScaleTarget = { kind: "image"; imageId: string } | { kind: "dataset"; datasetId: string };

/** The checked pixel size, or BAD_INPUT with assertPixelSize's message ("pixel size must be ..."). */
export function pixelSizeOrBadInput(pixelSize: unknown): PixelSize | null {
  if (pixelSize === null) return null;
  try {
    assertPixelSize(pixelSize);
  } catch (error) {
    if (error instanceof RangeError) throw new AppError("BAD_INPUT", error.message);
    throw error;
  }
  return { value: pixelSize.value, unit: pixelSize.unit };
}

export async function setPixelSize(options: {
  db: Db;
  projectId: string;
  actorId: string;
  target: ScaleTarget;
  pixelSize: unknown;
}): Promise<{ pixelSize: PixelSize | null; images: number }> {
  const { db, projectId, target } = options;
  const pixelSize = pixelSizeOrBadInput(options.pixelSize);
  const columns = pixelSizeColumns(pixelSize);
  if (target.kind === "dataset") {
    const dataset = await db.dataset.findFirst({ where: { id: target.datasetId, projectId }, select: { id: true } });
    if (!dataset) throw new AppError("NOT_FOUND", "Dataset not found");
  }
  const images = await changeProject(
    options,
    {
      action: "scale.set",
      target:
        target.kind === "image" ? { type: "Image", id: target.imageId } : { type: "Dataset", id: target.datasetId },
      data: (count: number) => ({
        kind: target.kind,
        ...(target.kind === "image" ? { imageId: target.imageId } : { datasetId: target.datasetId }),
        pixelSize,
        images: count,
      }),
    },
    async (tx) => {
      const where =
        target.kind === "image" ? { id: target.imageId, projectId } : { datasetId: target.datasetId, projectId };
      const result = await tx.image.updateMany({ where, data: columns });
      if (target.kind === "image") assertTouched(result, "Image not found");
      return result.count;
    },
  );
  return { pixelSize, images };
}
