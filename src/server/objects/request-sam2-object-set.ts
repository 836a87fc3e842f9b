/**
 * The SAM 2 object set of one image for one model and generator parameters (ObjectSet.method
 * "sam2"): an existing row for the same key (sam2ObjectParamsHash) is returned as it is; otherwise
 * the image's stored embedding (ensureSam2Embedding: computed first when missing) and the image go
 * to the heavy-work pool ("sam2.generate": the automatic mask generator with the ONNX decoder, the
 * masks measured as objects, the label map encoded), the label map PNG and the JSON of every record
 * go to the BlobStore, and the row is written with its audit record in one transaction. Called by
 * the sam2-image job (never in a request: it takes the decoder 1024 times).
 */
import "server-only";
import type { Prisma } from "~/generated/prisma/client";
import { ImageAnalysisError } from "~/server/analysis/image-analysis-error";
import { changeProject } from "~/server/audit/record-change";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { ensureSam2Embedding, type ReadySam2Model } from "~/server/inference/sam2/ensure-sam2-embedding";
import { sam2EmbeddingKey } from "~/server/inference/sam2/sam2-embedding-cache";
import { BlobNotFoundError, type BlobStore } from "~/server/storage";
import { decodeLimits, movableSource, runHeavyTask } from "~/server/workers/heavy-pool";
import { OBJECT_SET_SELECT, toObjectSetDto, type ObjectSetDto } from "./object-set-dto";
import { OBJECT_RECORDS_INLINE_MAX, OBJECTS_MAX_SIDE } from "./object-set-record";
import { pixelSizeOf } from "./pixel-size";
import type { Sam2AmgParams } from "~/core/sam2/amg-params";
import { sam2ObjectParams, sam2ObjectParamsHash, sam2ObjectsCodeVersion } from "./sam2-object-set-record";

export async function requestSam2ObjectSet(options: {
  db: Db;
  store: BlobStore;
  projectId: string;
  actorId: string;
  imageId: string;
  model: ReadySam2Model;
  params: Sam2AmgParams;
}): Promise<ObjectSetDto> {
  const { db, store, projectId, model, params } = options;
  const image = await db.image.findFirst({
    where: { id: options.imageId, projectId },
    select: { id: true, sha256: true, blobKey: true, pixelSizeUm: true, pixelSizeUnit: true },
  });
  if (!image) throw new AppError("NOT_FOUND", "Image not found");
  const pairSha256 = model.pairSha256;
  const paramsHash = sam2ObjectParamsHash(pairSha256, params);
  const existing = await db.objectSet.findUnique({
    where: { imageId_paramsHash: { imageId: image.id, paramsHash } },
    select: OBJECT_SET_SELECT,
  });
  if (existing) return toObjectSetDto(existing);

  let embedding: Buffer;
  let bytes: Buffer;
  try {
    const { blobKey } = await ensureSam2Embedding({ db, store, image, model });
    [embedding, bytes] = await Promise.all([store.get(blobKey), store.get(image.blobKey)]);
  } catch (error) {
    if (error instanceof BlobNotFoundError) {
      throw new AppError("BAD_INPUT", "SAM 2 cannot run on this image: a file is missing from storage");
    }
    if (error instanceof ImageAnalysisError)
      throw new AppError("BAD_INPUT", `SAM 2 cannot run on this image: ${error.message}`);
    throw error;
  }
  const embeddingCopy = new Uint8Array(embedding.byteLength);
  embeddingCopy.set(embedding);
  const { source, transfer } = movableSource(bytes);
  let computed;
  try {
    computed = await runHeavyTask(
      "sam2.generate",
      {
        source,
        limits: decodeLimits(),
        modelFolder: model.folder,
        embeddingKey: sam2EmbeddingKey(model.card.encoder.sha256, image.sha256),
        embedding: embeddingCopy.buffer,
        params,
        maxSide: OBJECTS_MAX_SIDE,
      },
      { transfer: [...transfer, embeddingCopy.buffer] },
    );
  } catch (error) {
    if (error instanceof ImageAnalysisError) {
      throw new AppError("BAD_INPUT", `SAM 2 cannot run on this image: ${error.message}`);
    }
    throw error;
  }
  const [labels, records] = await Promise.all([
    store.put(new Uint8Array(computed.labelPng)),
    store.put(new TextEncoder().encode(JSON.stringify(computed.objects))),
  ]);
  const row = await changeProject(
    { db, projectId, actorId: options.actorId },
    {
      action: "objects.run",
      target: (written: { id: string; count: number }) => ({ type: "ObjectSet", id: written.id }),
      data: (written: { id: string; count: number }) => ({ imageId: image.id, count: written.count, method: "sam2" }),
    },
    (tx) =>
      // A concurrent attempt (a retried item) may have written the row first: keep that one.
      tx.objectSet.upsert({
        where: { imageId_paramsHash: { imageId: image.id, paramsHash } },
        update: {},
        create: {
          projectId,
          imageId: image.id,
          method: "sam2",
          params: sam2ObjectParams({ name: model.name, pairSha256, variant: model.card.variant ?? null }, params),
          paramsHash,
          codeVersion: sam2ObjectsCodeVersion(),
          labelMapKey: labels.key,
          width: computed.width,
          height: computed.height,
          count: computed.objects.length,
          threshold: params.maskThreshold,
          polarity: "bright",
          imageStats: computed.imageStats as Prisma.InputJsonValue,
          objects: computed.objects.slice(0, OBJECT_RECORDS_INLINE_MAX),
          objectsKey: records.key,
          pixelSize: pixelSizeOf(image) ?? undefined,
          createdById: options.actorId,
        },
        select: { id: true, count: true },
      }),
  );
  const written = await db.objectSet.findUniqueOrThrow({ where: { id: row.id }, select: OBJECT_SET_SELECT });
  return toObjectSetDto(written);
}
