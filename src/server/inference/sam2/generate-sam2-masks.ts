/**
 * The automatic mask generator with the ONNX decoder: the pure generator (src/core/sam2,
 * generateSam2MasksStepwise: point grid, batches, upsampling, filters, NMS, RLE) calls back here for
 * each batch of prompts, which runs the installed decoder on the image's embedding tensors (one
 * positive point per prompt, no mask_input). The decoder's time is measured apart, so the
 * pipeline's own cost is known (bench/sam.bench.ts).
 *
 * Each record's mask is also handed out as its pixels inside its box (for measuring it as an object)
 * next to the generator's COCO RLE (column-major, image size) that SAM 2 itself writes.
 */
import "server-only";
import type * as ort from "onnxruntime-node";
import {
  generateSam2MasksStepwise,
  type Sam2AmgStats,
  type Sam2MaskRecord,
} from "~/core/sam2/automatic-mask-generator";
import type { Sam2AmgParamsInput } from "~/core/sam2/amg-params";
import type { CocoRle } from "~/core/regions/coco-rle";

import { decoderPromptInputs, readDecoderOutputs, type Sam2EmbeddingTensorName } from "./sam2-contract";
import type { LoadedSam2Model } from "./sam2-model";

/** One mask of the generator, on a `width` x `height` grid (the label map's). */
export type Sam2Mask = {
  /** Row-major 0/1 pixels of the mask inside `box`. */
  pixels: Uint8Array;
  /** [x0, y0, x1, y1) of the mask's pixels on the grid (tight). */
  box: [number, number, number, number];
  predictedIou: number;
  stabilityScore: number;
  /** The grid point that prompted it, in grid pixels [x, y]. */
  point: [number, number];
};

export type GeneratedSam2Mask = Sam2Mask & { rle: CocoRle; area: number; bbox: Sam2MaskRecord["bbox"] };

export type GeneratedSam2Masks = {
  /** In the generator's order (NMS order: descending predicted IoU); empty masks left out. */
  masks: GeneratedSam2Mask[];
  stats: Sam2AmgStats & { emptyMasks: number };
  /**
   * Wall time, and CPU time of this process (all its threads: ONNX Runtime's too), of the decoder's
   * runs and of the whole generation; the CPU times tell the pipeline's own cost apart from what
   * other processes on the machine take.
   */
  timingsMs: { decoder: number; total: number; decoderCpu: number; totalCpu: number };
};

/** CPU milliseconds this process has used so far (user + system, every thread). */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** A record's pixels inside its box (SAM's XYWH box: width = x1 - x0 of the inclusive XYXY box). */
export function recordPixels(record: Sam2MaskRecord): Pick<Sam2Mask, "pixels" | "box"> {
  const [height] = record.segmentation.size;
  const [x, y, w, h] = record.bbox;
  const box: Sam2Mask["box"] = [x, y, x + w + 1, y + h + 1];
  const boxWidth = w + 1;
  const pixels = new Uint8Array(boxWidth * (h + 1));
  let at = 0;
  let inside = false;
  for (const run of record.segmentation.counts) {
    if (inside) {
      for (let i = at; i < at + run; i++) {
        const px = Math.floor(i / height);
        const py = i % height;
        pixels[(py - y) * boxWidth + (px - x)] = 1;
      }
    }
    at += run;
    inside = !inside;
  }
  return { pixels, box };
}

export async function generateSam2Masks(options: {
  /** The decoder (getSam2Decoder's session, or a whole pair's). */
  model: Pick<LoadedSam2Model, "decoder" | "folder">;
  tensors: Record<Sam2EmbeddingTensorName, ort.Tensor>;
  /** The size the masks are made at (the label map's). */
  width: number;
  height: number;
  params: Sam2AmgParamsInput;
  /** Called after each decoder batch; return false to stop (a cancelled job). */
  onProgress?: (done: number, total: number) => boolean | void;
}): Promise<GeneratedSam2Masks> {
  const { model, tensors } = options;
  const started = performance.now();
  const startedCpu = cpuMs();
  let decoderMs = 0;
  let decoderCpu = 0;
  const steps = generateSam2MasksStepwise({
    width: options.width,
    height: options.height,
    params: options.params,
    decode: async (batch) => {
      const feeds = {
        ...tensors,
        ...decoderPromptInputs({
          count: batch.count,
          pointsPerPrompt: 1,
          pointCoords: batch.pointCoords,
          pointLabels: batch.pointLabels,
        }),
      };
      const before = performance.now();
      const beforeCpu = cpuMs();
      const results = await model.decoder.run(feeds);
      decoderMs += performance.now() - before;
      decoderCpu += cpuMs() - beforeCpu;
      return readDecoderOutputs(results, batch.count, model.folder);
    },
  });
  let result;
  for (;;) {
    const step = await steps.next();
    if (step.done) {
      result = step.value;
      break;
    }
    if (options.onProgress?.(step.value.pointsDone, step.value.pointsTotal) === false) {
      throw new Sam2GenerationStopped();
    }
  }
  const nonEmpty = result.records.filter((record) => record.area > 0);
  return {
    masks: nonEmpty.map((record) => ({
      ...recordPixels(record),
      rle: record.segmentation,
      area: record.area,
      bbox: record.bbox,
      predictedIou: record.predictedIou,
      stabilityScore: record.stabilityScore,
      point: record.point,
    })),
    stats: { ...result.stats, emptyMasks: result.records.length - nonEmpty.length },
    timingsMs: { decoder: decoderMs, total: performance.now() - started, decoderCpu, totalCpu: cpuMs() - startedCpu },
  };
}

/** The caller's onProgress asked to stop. */
export class Sam2GenerationStopped extends Error {
  override readonly name = "Sam2GenerationStopped";
}
