/**
 * sam2.decode: a click (or box) on the canvas to a mask. The decoder runs in the heavy-work pool
 * ("sam2.decode"), on the embedding the thread keeps in memory; a thread that does not hold it is
 * sent the stored blob once. The answer is the best mask as a "mask" region geometry over the
 * image (ready for annotation.createRegion), its predicted IoU, area and box, and a handle: the
 * next prompt names it as `previous` and the decoder gets that mask's logits as mask_input (SAM's
 * refinement). Handles live in this process for a while (PREVIOUS_MASKS), bound to the image,
 * model and user that made them.
 *
 * CONFLICT when the image has no embedding yet: the tool starts sam2.prepareImage and waits, so
 * the encoder never runs inside a request.
 */
import "server-only";
import { randomUUID } from "node:crypto";

import { z } from "zod";

import { REGION_GEOMETRY_VERSION, REGION_LIMITS, type MaskGeometry } from "~/core/regions/region-geometry";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import type { BlobStore } from "~/server/storage";
import { runHeavyTask } from "~/server/workers/heavy-pool";

import type { DecodePromptTaskInput } from "./decode-prompt-task";
import { findSam2Embedding } from "./ensure-sam2-embedding";
import { findSam2Image, readySam2ModelOrBadInput } from "./get-sam2-embedding-status";
import { sam2EmbeddingKey } from "./sam2-embedding-cache";

const coordinate = z.number().finite().min(-1e6).max(1e6);

export const sam2PromptSchema = z
  .object({
    /** Image pixels (region geometry's frame); label 1 positive, 0 negative. */
    points: z
      .array(z.object({ x: coordinate, y: coordinate, label: z.union([z.literal(0), z.literal(1)]) }))
      .max(64)
      .default([]),
    box: z.object({ x0: coordinate, y0: coordinate, x1: coordinate, y1: coordinate }).optional(),
    /** The handle of the mask this prompt refines (the previous answer's `handle`). */
    previous: z.string().uuid().optional(),
  })
  .refine((prompt) => prompt.points.length > 0 || prompt.box !== undefined, "a prompt needs a point or a box");
export type Sam2Prompt = z.input<typeof sam2PromptSchema>;

/** Previous masks kept for refinement (256 KB each), the oldest dropped first. */
export const PREVIOUS_MASKS = 256;
const previousMasks = new Map<string, { imageId: string; pairSha256: string; actorId: string; lowRes: Float32Array }>();

/** The grid of a mask region over a `width` x `height` image: the image, capped at maxMaskSide. */
export function maskGrid(width: number, height: number): { gridWidth: number; gridHeight: number } {
  const side = REGION_LIMITS.maxMaskSide;
  if (Math.max(width, height) <= side) return { gridWidth: width, gridHeight: height };
  const scale = side / Math.max(width, height);
  return { gridWidth: Math.max(1, Math.round(width * scale)), gridHeight: Math.max(1, Math.round(height * scale)) };
}

export type Sam2DecodeResult = {
  /** Save it as a region (kind "mask"); its grid covers the whole image. */
  mask: MaskGeometry;
  /** The decoder's predicted IoU of this mask. */
  score: number;
  /** Foreground pixels of the grid; 0 when the prompt found nothing. */
  area: number;
  /** [x, y, w, h] in image pixels, or null for an empty mask. */
  bbox: [number, number, number, number] | null;
  /** Name it as `previous` in the next prompt to refine this mask. */
  handle: string;
  model: string;
  /** decoder: the network; overhead: everything else of this request on the server. */
  timingsMs: { decoder: number; overhead: number; total: number; embeddingSent: number };
};

export async function decodeSam2Prompt(options: {
  db: Db;
  store: BlobStore;
  projectId: string;
  actorId: string;
  imageId: string;
  model?: string;
  prompt: Sam2Prompt;
}): Promise<Sam2DecodeResult> {
  const started = performance.now();
  const prompt = sam2PromptSchema.parse(options.prompt);
  const image = await findSam2Image(options);
  const model = await readySam2ModelOrBadInput(options.model);
  const pairSha256 = model.pairSha256;
  let previousLowRes: ArrayBuffer | undefined;
  if (prompt.previous) {
    const previous = previousMasks.get(prompt.previous);
    if (
      !previous ||
      previous.imageId !== image.id ||
      previous.pairSha256 !== pairSha256 ||
      previous.actorId !== options.actorId
    ) {
      throw new AppError("BAD_INPUT", "The mask to refine has expired; start again with a new click");
    }
    previousLowRes = previous.lowRes.slice().buffer;
  }
  const encoderSha256 = model.card.encoder.sha256;
  const input: DecodePromptTaskInput = {
    modelFolder: model.folder,
    embeddingKey: sam2EmbeddingKey(encoderSha256, image.sha256),
    imageWidth: image.width,
    imageHeight: image.height,
    ...maskGrid(image.width, image.height),
    prompt: { points: prompt.points, ...(prompt.box && { box: prompt.box }) },
    maskThreshold: 0,
  };
  let embeddingSent = 0;
  let answer = await runHeavyTask("sam2.decode", {
    ...input,
    ...(previousLowRes && { previousLowRes: previousLowRes.slice(0) }),
  });
  if (answer.status === "missing-embedding") {
    const sending = performance.now();
    const blobKey = await findSam2Embedding({
      db: options.db,
      store: options.store,
      imageSha256: image.sha256,
      encoderSha256,
    });
    if (!blobKey) {
      throw new AppError(
        "CONFLICT",
        "SAM 2 is not prepared for this image yet: its embedding is being computed or was never asked for",
      );
    }
    const bytes = await options.store.get(blobKey);
    const embedding = new Uint8Array(bytes.byteLength);
    embedding.set(bytes);
    const transfer = [embedding.buffer, ...(previousLowRes ? [previousLowRes] : [])];
    answer = await runHeavyTask(
      "sam2.decode",
      { ...input, embedding: embedding.buffer, ...(previousLowRes && { previousLowRes }) },
      { transfer },
    );
    embeddingSent = performance.now() - sending;
    if (answer.status === "missing-embedding")
      throw new Error("internal: the decoding thread did not take the embedding");
  }
  const handle = randomUUID();
  previousMasks.set(handle, {
    imageId: image.id,
    pairSha256,
    actorId: options.actorId,
    lowRes: new Float32Array(answer.lowRes),
  });
  while (previousMasks.size > PREVIOUS_MASKS) previousMasks.delete(previousMasks.keys().next().value!);

  const { gridWidth, gridHeight } = input;
  const sx = image.width / gridWidth;
  const sy = image.height / gridHeight;
  const total = performance.now() - started;
  return {
    mask: {
      schemaVersion: REGION_GEOMETRY_VERSION,
      kind: "mask",
      gridWidth,
      gridHeight,
      runs: answer.runs,
      source: { map: "sam2" },
    },
    score: answer.score,
    area: answer.area,
    bbox: answer.bbox && [answer.bbox[0] * sx, answer.bbox[1] * sy, answer.bbox[2] * sx, answer.bbox[3] * sy],
    handle,
    model: model.name,
    timingsMs: { decoder: answer.timingsMs.decoder, overhead: total - answer.timingsMs.decoder, total, embeddingSent },
  };
}
