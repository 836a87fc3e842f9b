/**
 * objects.run: the object set of one image for one set of parameters. An existing row for the
 * same canonical parameters (objectParamsHash) is returned as is; otherwise the image is decoded,
 * segmented and measured in the heavy-work pool (task "objects.compute", compute-object-set.ts),
 * the label map PNG and the JSON of every record go to the BlobStore, and the row is written with
 * its audit record ("objects.run") in one transaction. Like analysis.run this runs in the request:
 * one image takes seconds and the user waits for it on screen.
 */
import "server-only";
import { parseAnalysedAreaRecord, type AnalysedArea } from "~/core/analysed-area/analysed-area";
import { resolveObjectParams, type ObjectSegmentationParams } from "~/core/objects/segment-objects";
import type { Prisma } from "~/generated/prisma/client";
import { ImageAnalysisError } from "~/server/analysis/image-analysis-error";
import { changeProject } from "~/server/audit/record-change";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { BlobNotFoundError, blobStore, type BlobStore } from "~/server/storage";
import { decodeLimits, movableSource, runHeavyTask } from "~/server/workers/heavy-pool";
import { OBJECT_SET_SELECT, toObjectSetDto, type ObjectSetDto } from "./object-set-dto";
import { OBJECT_RECORDS_INLINE_MAX, objectParamsHash, objectsCodeVersion, OBJECTS_MAX_SIDE } from "./object-set-record";
import { pixelSizeOf } from "./pixel-size";

/** The image's analysed area (px of the image) without its source; null = the whole image. */
export function analysedAreaOf(image: { analysedArea: unknown }): AnalysedArea | null {
  const record = parseAnalysedAreaRecord(image.analysedArea);
  return record && { x: record.x, y: record.y, width: record.width, height: record.height };
}

/** Validated parameters (defaults filled in); BAD_INPUT naming every problem otherwise. */
export function objectParamsOrBadInput(params: unknown): ObjectSegmentationParams {
  try {
    return resolveObjectParams(params ?? {});
  } catch (error) {
    if (error instanceof RangeError) throw new AppError("BAD_INPUT", error.message);
    throw error;
  }
}

export async function requestObjectSet(options: {
  db: Db;
  projectId: string;
  actorId: string;
  imageId: string;
  params?: unknown;
  /** Measure inside the image's analysed area (data bar left out), or the whole image. @default true */
  useAnalysedArea?: boolean;
  store?: BlobStore;
}): Promise<ObjectSetDto> {
  const { db, projectId } = options;
  const store = options.store ?? blobStore();
  const image = await db.image.findFirst({
    where: { id: options.imageId, projectId },
    select: { id: true, blobKey: true, pixelSizeUm: true, pixelSizeUnit: true, analysedArea: true },
  });
  if (!image) throw new AppError("NOT_FOUND", "Image not found");
  const params = objectParamsOrBadInput(options.params);
  const analysedArea = options.useAnalysedArea === false ? null : analysedAreaOf(image);
  const paramsHash = objectParamsHash(params, analysedArea);

  const existing = await db.objectSet.findUnique({
    where: { imageId_paramsHash: { imageId: image.id, paramsHash } },
    select: OBJECT_SET_SELECT,
  });
  if (existing) return toObjectSetDto(existing);

  let bytes: Buffer;
  try {
    bytes = await store.get(image.blobKey);
  } catch (error) {
    if (error instanceof BlobNotFoundError) {
      throw new AppError("BAD_INPUT", "This image cannot be segmented: the image file is missing from storage");
    }
    throw error;
  }
  const { source, transfer } = movableSource(bytes);
  let computed;
  try {
    computed = await runHeavyTask(
      "objects.compute",
      { source, limits: decodeLimits(), params, maxSide: OBJECTS_MAX_SIDE, analysedArea },
      { transfer },
    );
  } catch (error) {
    if (error instanceof ImageAnalysisError) {
      throw new AppError("BAD_INPUT", `This image cannot be segmented: ${error.message}`);
    }
    throw error;
  }
  const [labels, records] = await Promise.all([
    store.put(new Uint8Array(computed.labelPng)),
    store.put(new TextEncoder().encode(JSON.stringify(computed.objects))),
  ]);

  const id = await changeProject(
    { db, projectId, actorId: options.actorId },
    {
      action: "objects.run",
      target: (row: { id: string; count: number }) => ({ type: "ObjectSet", id: row.id }),
      data: (row: { id: string; count: number }) => ({ imageId: image.id, count: row.count }),
    },
    async (tx) => {
      // A concurrent run of the same parameters may have written the row first: keep that one.
      return tx.objectSet.upsert({
        where: { imageId_paramsHash: { imageId: image.id, paramsHash } },
        update: {},
        create: {
          projectId,
          imageId: image.id,
          params: computed.params,
          paramsHash,
          codeVersion: objectsCodeVersion(),
          labelMapKey: labels.key,
          width: computed.width,
          height: computed.height,
          count: computed.count,
          threshold: computed.threshold,
          polarity: computed.polarity,
          imageStats: computed.imageStats as Prisma.InputJsonValue,
          objects: computed.objects.slice(0, OBJECT_RECORDS_INLINE_MAX),
          objectsKey: records.key,
          pixelSize: pixelSizeOf(image) ?? undefined,
          analysedArea: analysedArea ?? undefined,
          createdById: options.actorId,
        },
        select: { id: true, count: true },
      });
    },
  );
  const row = await db.objectSet.findUniqueOrThrow({ where: { id: id.id }, select: OBJECT_SET_SELECT });
  return toObjectSetDto(row);
}
