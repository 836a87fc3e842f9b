/**
 * An image's SAM 2 embedding for an installed model, computed at most once: a SamEmbedding row
 * (image sha256 + encoder sha256 + preprocessing version) names its blob; without one (or when the
 * blob is gone) the encoder runs in the heavy-work pool ("sam2.embed") and the bytes are stored.
 * Two concurrent first calls may both compute it; the blob store keeps identical bytes once and
 * the row's unique key keeps one row.
 */
import "server-only";
import { ImageAnalysisError } from "~/server/analysis/image-analysis-error";
import type { Db } from "~/server/db";
import { BlobNotFoundError, type BlobStore } from "~/server/storage";
import { decodeLimits, movableSource, runHeavyTask } from "~/server/workers/heavy-pool";

import { SAM2_EMBEDDING_CODE_VERSION } from "./sam2-preprocess";
import type { Sam2ModelListing } from "./sam2-registry";

export type ReadySam2Model = Sam2ModelListing & {
  status: "ready";
  card: NonNullable<Sam2ModelListing["card"]>;
  pairSha256: string;
};

/** The image fields the embedding depends on. */
export type EmbeddableImage = { sha256: string; blobKey: string };

/** The stored embedding's blob key, or null when there is none (or its blob is gone). */
export async function findSam2Embedding(options: {
  db: Db;
  store: BlobStore;
  imageSha256: string;
  encoderSha256: string;
}): Promise<string | null> {
  const row = await options.db.samEmbedding.findUnique({
    where: {
      imageSha256_encoderSha256_codeVersion: {
        imageSha256: options.imageSha256,
        encoderSha256: options.encoderSha256,
        codeVersion: SAM2_EMBEDDING_CODE_VERSION,
      },
    },
    select: { blobKey: true },
  });
  return row && (await options.store.has(row.blobKey)) ? row.blobKey : null;
}

export async function ensureSam2Embedding(options: {
  db: Db;
  store: BlobStore;
  image: EmbeddableImage;
  model: ReadySam2Model;
}): Promise<{ blobKey: string; computed: boolean; timingsMs?: Record<string, number> }> {
  const { db, store, image, model } = options;
  const encoderSha256 = model.card.encoder.sha256;
  const existing = await findSam2Embedding({ db, store, imageSha256: image.sha256, encoderSha256 });
  if (existing) return { blobKey: existing, computed: false };

  let bytes: Buffer;
  try {
    bytes = await store.get(image.blobKey);
  } catch (error) {
    if (error instanceof BlobNotFoundError) {
      throw new ImageAnalysisError("the image file is missing from storage", "missing-file", { cause: error });
    }
    throw error;
  }
  const { source, transfer } = movableSource(bytes);
  const computed = await runHeavyTask(
    "sam2.embed",
    { source, limits: decodeLimits(), modelFolder: model.folder, imageSha256: image.sha256 },
    { transfer },
  );
  const blob = await store.put(new Uint8Array(computed.embedding));
  const where = { imageSha256: image.sha256, encoderSha256, codeVersion: SAM2_EMBEDDING_CODE_VERSION };
  await db.samEmbedding.upsert({
    where: { imageSha256_encoderSha256_codeVersion: where },
    update: { blobKey: blob.key },
    create: { ...where, blobKey: blob.key },
  });
  return { blobKey: blob.key, computed: true, timingsMs: computed.timingsMs };
}
