/**
 * Heavy task "sam2.decode" (a worker thread): one prompt set through the SAM 2 decoder on an
 * image's embedding, the best of its three masks (highest predicted IoU, as SAM 2's predictor
 * users pick) rendered as mask runs over the grid the caller asks for (prompt-mask-runs.ts), and
 * that mask's low-res logits (for the next prompt's mask_input). The embedding comes from this
 * thread's cache (sam2-embedding-cache.ts); when the thread does not hold it the task answers
 * "missing-embedding" and the caller sends the blob's bytes once.
 */
import "server-only";

import { rememberEmbedding, cachedEmbedding } from "./sam2-embedding-cache";
import { getSam2Decoder } from "./sam2-model";
import {
  decoderPromptInputs,
  readDecoderOutputs,
  SAM2_INPUT_SIZE,
  SAM2_LOW_RES_SIZE,
  SAM2_MASKS_PER_PROMPT,
  SAM2_POINT_LABEL,
} from "./sam2-contract";
import { promptMaskRuns, type PromptMaskRuns } from "./prompt-mask-runs";

/** A prompt set in image pixels: points labelled 1 (positive) or 0 (negative), an optional box. */
export type Sam2PromptPixels = {
  points: { x: number; y: number; label: 0 | 1 }[];
  box?: { x0: number; y0: number; x1: number; y1: number };
};

export type DecodePromptTaskInput = {
  modelFolder: string;
  /** sam2EmbeddingKey of the image's embedding. */
  embeddingKey: string;
  /** The embedding's blob bytes, sent when the thread answered "missing-embedding". */
  embedding?: ArrayBuffer;
  imageWidth: number;
  imageHeight: number;
  /** The grid the mask runs cover (the image's size, or smaller for huge images). */
  gridWidth: number;
  gridHeight: number;
  prompt: Sam2PromptPixels;
  /** The previous mask's 256 x 256 logits (refinement), float32. */
  previousLowRes?: ArrayBuffer;
  maskThreshold: number;
};

export type DecodePromptTaskOutput =
  | { status: "missing-embedding" }
  | ({
      status: "decoded";
      /** The chosen mask's 256 x 256 logits, float32. */
      lowRes: ArrayBuffer;
      /** Its predicted IoU. */
      score: number;
      timingsMs: { decoder: number; prompt: number; render: number };
    } & PromptMaskRuns);

/**
 * The decoder's point inputs for one prompt set: box corners first (labels 2 and 3, as SAM 2's
 * predictor concatenates them), then the points, in the 1024 frame (x * 1024 / width).
 */
export function promptPoints(
  prompt: Sam2PromptPixels,
  width: number,
  height: number,
): { pointCoords: Float32Array; pointLabels: Float32Array; count: number } {
  const sx = SAM2_INPUT_SIZE / width;
  const sy = SAM2_INPUT_SIZE / height;
  const coords: number[] = [];
  const labels: number[] = [];
  if (prompt.box) {
    const { x0, y0, x1, y1 } = prompt.box;
    coords.push(Math.min(x0, x1) * sx, Math.min(y0, y1) * sy, Math.max(x0, x1) * sx, Math.max(y0, y1) * sy);
    labels.push(SAM2_POINT_LABEL.boxTopLeft, SAM2_POINT_LABEL.boxBottomRight);
  }
  for (const point of prompt.points) {
    coords.push(point.x * sx, point.y * sy);
    labels.push(point.label === 1 ? SAM2_POINT_LABEL.positive : SAM2_POINT_LABEL.negative);
  }
  return { pointCoords: Float32Array.from(coords), pointLabels: Float32Array.from(labels), count: labels.length };
}

export async function decodePromptTask(
  input: DecodePromptTaskInput,
): Promise<{ output: DecodePromptTaskOutput; transfer?: ArrayBuffer[] }> {
  const started = performance.now();
  const cached =
    cachedEmbedding(input.embeddingKey) ??
    (input.embedding ? rememberEmbedding(input.embeddingKey, input.embedding) : undefined);
  if (!cached) return { output: { status: "missing-embedding" } };
  if (cached.stored.width !== input.imageWidth || cached.stored.height !== input.imageHeight) {
    throw new RangeError(
      `the embedding was computed on a ${cached.stored.width} x ${cached.stored.height} image, not ${input.imageWidth} x ${input.imageHeight}`,
    );
  }
  const decoder = await getSam2Decoder(input.modelFolder);
  const points = promptPoints(input.prompt, input.imageWidth, input.imageHeight);
  if (points.count === 0) throw new RangeError("a prompt needs at least one point or a box");
  const plane = SAM2_LOW_RES_SIZE * SAM2_LOW_RES_SIZE;
  const previous = input.previousLowRes ? new Float32Array(input.previousLowRes) : undefined;
  if (previous && previous.length !== plane) throw new RangeError(`the previous mask must hold ${plane} logits`);
  const feeds = {
    ...cached.tensors,
    ...decoderPromptInputs({
      count: 1,
      pointsPerPrompt: points.count,
      pointCoords: points.pointCoords,
      pointLabels: points.pointLabels,
      ...(previous && { maskInput: previous }),
    }),
  };
  const prepared = performance.now();
  const outputs = readDecoderOutputs(await decoder.session.run(feeds), 1, decoder.folder);
  const decoded = performance.now();
  let best = 0;
  for (let k = 1; k < SAM2_MASKS_PER_PROMPT; k++) {
    if (outputs.iouPredictions[k]! > outputs.iouPredictions[best]!) best = k;
  }
  const lowRes = outputs.masks.slice(best * plane, (best + 1) * plane);
  const mask = promptMaskRuns(lowRes, input.gridWidth, input.gridHeight, input.maskThreshold);
  const rendered = performance.now();
  return {
    output: {
      status: "decoded",
      lowRes: lowRes.buffer,
      score: outputs.iouPredictions[best]!,
      ...mask,
      timingsMs: { decoder: decoded - prepared, prompt: prepared - started, render: rendered - decoded },
    },
    transfer: [lowRes.buffer],
  };
}
