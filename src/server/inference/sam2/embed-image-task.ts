/**
 * Heavy task "sam2.embed" (a worker thread, src/server/workers/heavy-tasks.ts): decode an image
 * within the limits, run the SAM 2 encoder on it, and return the embedding's blob bytes. The
 * thread also keeps the embedding (sam2-embedding-cache.ts), so the clicks and the automatic
 * generation that usually follow find it there.
 */
import "server-only";
import { decodeTaskImage } from "~/server/analysis/decode-task-image";
import type { DecodeLimits } from "~/server/workers/heavy-tasks";

import { encodeSam2Embedding, computeSam2Embedding } from "./sam2-embedding";
import { rememberEmbedding, sam2EmbeddingKey } from "./sam2-embedding-cache";
import { getSam2Encoder } from "./sam2-model";

export type EmbedImageTaskInput = {
  limits: DecodeLimits;
  /** The installed model's folder. */
  modelFolder: string;
  /** sha256 of the image's bytes (the embedding's cache key with the encoder's). */
  imageSha256: string;
};

export type EmbedImageTaskOutput = {
  /** The embedding's blob bytes (sam2-embedding.ts). */
  embedding: ArrayBuffer;
  encoderSha256: string;
  width: number;
  height: number;
  timingsMs: Record<string, number>;
};

export async function embedImageTask(
  bytes: Buffer,
  input: EmbedImageTaskInput,
): Promise<{ output: EmbedImageTaskOutput; transfer: ArrayBuffer[] }> {
  const started = performance.now();
  const encoder = await getSam2Encoder(input.modelFolder);
  const model = { encoder: encoder.session, encoderSha256: encoder.sha256, folder: encoder.folder };
  const loaded = performance.now();
  const raster = await decodeTaskImage(bytes, input.limits);
  const decoded = performance.now();
  const { stored, timingsMs } = await computeSam2Embedding(model, raster);
  rememberEmbedding(sam2EmbeddingKey(model.encoderSha256, input.imageSha256), stored);
  const encoded = encodeSam2Embedding(stored);
  // The thread keeps `stored`; the caller gets its own copy of the bytes.
  const embedding = encoded.buffer as ArrayBuffer;
  return {
    output: {
      embedding,
      encoderSha256: model.encoderSha256,
      width: raster.width,
      height: raster.height,
      timingsMs: {
        model: loaded - started,
        decode: decoded - loaded,
        ...timingsMs,
        encode: performance.now() - decoded - timingsMs.preprocess - timingsMs.encoder,
      },
    },
    transfer: [embedding],
  };
}
