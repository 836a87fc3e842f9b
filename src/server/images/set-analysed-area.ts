/**
 * analysedArea.set: sets, clears or detects again the analysed area of one image, or sets or
 * clears it for every image of a dataset (image.analysedArea in the audit log).
 * - "set": a rectangle a person typed, px of the image; it must lie inside every image it is set
 *   on (BAD_INPUT saying which edge goes past, and by how much). A rectangle covering the whole
 *   image is stored as null: the same thing, said once.
 * - "clear": null, the whole image.
 * - "detect": what upload would find (find-analysed-area.ts: the metadata, else a data bar in the
 *   pixels), run again in the heavy-work pool. One image at a time: a dataset's images were
 *   searched when they were uploaded.
 * Object sets already computed keep the area they were measured in (ObjectSet.analysedArea);
 * the next objects.run for the image uses the new one (it is part of objectParamsHash).
 */
import "server-only";
import {
  analysedAreaProblems,
  coversWholeImage,
  type AnalysedArea,
  type AnalysedAreaRecord,
} from "~/core/analysed-area/analysed-area";
import { Prisma } from "~/generated/prisma/client";
import { ImageAnalysisError } from "~/server/analysis/image-analysis-error";
import { assertTouched, changeProject, type ProjectChangeScope } from "~/server/audit/record-change";
import type { ImageMetadata } from "~/server/codecs/probe-image";
import { AppError } from "~/server/errors";
import { BlobNotFoundError, blobStore, type BlobStore } from "~/server/storage";
import { decodeLimits, movableSource, runHeavyTask } from "~/server/workers/heavy-pool";

export type ImageOrDatasetTarget = { kind: "image"; imageId: string } | { kind: "dataset"; datasetId: string };

export type AnalysedAreaChange = { kind: "set"; area: AnalysedArea } | { kind: "clear" } | { kind: "detect" };

export const ANALYSED_AREA_MESSAGE = {
  imageNotFound: "Image not found",
  datasetNotFound: "Dataset not found",
  outside: (problems: string[]) => `The analysed area must lie inside the image: ${problems.join("; ")}.`,
  tooSmall: (count: number, smallest: { width: number; height: number }) =>
    `The analysed area does not fit ${count === 1 ? "1 image" : `${count} images`} of this dataset ` +
    `(the smallest is ${smallest.width} × ${smallest.height} px).`,
  detectDataset: "Detect again works on one image at a time (each image was searched for a data bar when uploaded).",
  missingFile: "The data bar cannot be detected: the image file is missing from storage.",
  unreadable: (reason: string) => `The data bar cannot be detected: ${reason}.`,
} as const;

export async function setAnalysedArea(
  options: ProjectChangeScope & { target: ImageOrDatasetTarget; change: AnalysedAreaChange; store?: BlobStore },
): Promise<{ analysedArea: AnalysedAreaRecord | null; images: number }> {
  const { db, projectId, target, change } = options;
  if (target.kind === "dataset") {
    if (change.kind === "detect") throw new AppError("BAD_INPUT", ANALYSED_AREA_MESSAGE.detectDataset);
    const dataset = await db.dataset.findFirst({ where: { id: target.datasetId, projectId }, select: { id: true } });
    if (!dataset) throw new AppError("NOT_FOUND", ANALYSED_AREA_MESSAGE.datasetNotFound);
  }
  const image =
    target.kind === "image"
      ? await db.image.findFirst({
          where: { id: target.imageId, projectId },
          select: { id: true, blobKey: true, width: true, height: true, metadata: true },
        })
      : null;
  if (target.kind === "image" && !image) throw new AppError("NOT_FOUND", ANALYSED_AREA_MESSAGE.imageNotFound);

  let record: AnalysedAreaRecord | null;
  if (change.kind === "clear") record = null;
  else if (change.kind === "set") {
    record = { ...change.area, source: "manual" };
    if (image) {
      const problems = analysedAreaProblems(change.area, image);
      if (problems.length > 0) throw new AppError("BAD_INPUT", ANALYSED_AREA_MESSAGE.outside(problems));
      if (coversWholeImage(change.area, image)) record = null;
    }
  } else record = await detectAgain(image!, options.store ?? blobStore());

  const images = await changeProject(
    options,
    {
      action: "image.analysedArea",
      target:
        target.kind === "image" ? { type: "Image", id: target.imageId } : { type: "Dataset", id: target.datasetId },
      data: (count: number) => ({
        kind: target.kind,
        ...(target.kind === "image" ? { imageId: target.imageId } : { datasetId: target.datasetId }),
        change: change.kind,
        analysedArea: record,
        images: count,
      }),
    },
    async (tx) => {
      const data = { analysedArea: record ?? Prisma.DbNull };
      if (target.kind === "image") {
        const result = await tx.image.updateMany({ where: { id: target.imageId, projectId }, data });
        assertTouched(result, ANALYSED_AREA_MESSAGE.imageNotFound);
        return result.count;
      }
      const where = { datasetId: target.datasetId, projectId };
      if (change.kind === "set") await assertFitsDataset(tx, where, change.area);
      return (await tx.image.updateMany({ where, data })).count;
    },
  );
  return { analysedArea: record, images };
}

async function assertFitsDataset(
  tx: Prisma.TransactionClient,
  where: { datasetId: string; projectId: string },
  area: AnalysedArea,
): Promise<void> {
  const tooSmall = {
    ...where,
    OR: [{ width: { lt: area.x + area.width } }, { height: { lt: area.y + area.height } }],
  };
  const count = await tx.image.count({ where: tooSmall });
  if (count === 0) return;
  const smallest = await tx.image.findFirstOrThrow({
    where: tooSmall,
    orderBy: [{ width: "asc" }, { height: "asc" }],
    select: { width: true, height: true },
  });
  throw new AppError("BAD_INPUT", ANALYSED_AREA_MESSAGE.tooSmall(count, smallest));
}

async function detectAgain(
  image: { blobKey: string; width: number; height: number; metadata: unknown },
  store: BlobStore,
): Promise<AnalysedAreaRecord | null> {
  let bytes: Buffer;
  try {
    bytes = await store.get(image.blobKey);
  } catch (error) {
    if (error instanceof BlobNotFoundError) throw new AppError("BAD_INPUT", ANALYSED_AREA_MESSAGE.missingFile);
    throw error;
  }
  const { source, transfer } = movableSource(bytes);
  const metadata = (image.metadata ?? {}) as ImageMetadata;
  try {
    return await runHeavyTask(
      "image.analysedArea",
      { source, limits: decodeLimits(), probe: { width: image.width, height: image.height, metadata } },
      { transfer },
    );
  } catch (error) {
    if (error instanceof ImageAnalysisError)
      throw new AppError("BAD_INPUT", ANALYSED_AREA_MESSAGE.unreadable(error.message));
    throw error;
  }
}
