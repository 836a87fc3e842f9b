/**
 * The live preview of the object segmentation, pure: the same core the server runs
 * (segmentObjects + measureObjects) on a grey image of at most PREVIEW_MAX_SIDE px per side,
 * with the length and area parameters rescaled from the stored computation's grid to the
 * preview's, and the outlines drawn as one RGBA image. The Web Worker (objects-preview.worker.ts)
 * runs it off the page's thread; tests run it directly.
 */
import { greyFromRgb } from "~/core/analysis/analysis-image";
import type { GreyImage } from "~/core/analysis/raster";
import { measureObjects } from "~/core/objects/measure-objects";
import { segmentObjects, type ObjectSegmentationParams } from "~/core/objects/segment-objects";
import { outlineRgba } from "./label-map";

/** Long side of the preview's grey image, px. */
export const PREVIEW_MAX_SIDE = 1024;
/** Long side of the stored computation's grid (the server's OBJECTS_MAX_SIDE). */
export const STORED_MAX_SIDE = 4096;
/** Colour of the preview's outlines (RGBA). */
export const PREVIEW_COLOR: readonly number[] = [255, 140, 0, 255];

/** Size of a `width x height` image whose long side is brought down to `maxSide` (never up). */
export function cappedSize(width: number, height: number, maxSide: number): { width: number; height: number } {
  const long = Math.max(width, height);
  if (long <= maxSide) return { width, height };
  const k = maxSide / long;
  return { width: Math.max(1, Math.round(width * k)), height: Math.max(1, Math.round(height * k)) };
}

/**
 * The parameters on a grid `ratio` times as wide as the stored one: lengths (h, the sigmas)
 * times ratio, areas times ratio². Ratio 1 leaves them as they are.
 */
export function scaleParams(params: ObjectSegmentationParams, ratio: number): ObjectSegmentationParams {
  if (ratio === 1) return params;
  return {
    ...params,
    smoothSigma: params.smoothSigma * ratio,
    distanceSigma: params.distanceSigma * ratio,
    h: Math.max(1e-3, params.h * ratio),
    minArea: params.minArea * ratio * ratio,
    maxArea: params.maxArea === null ? null : params.maxArea * ratio * ratio,
  };
}

/** RGBA bytes -> grey with the server's weights (OpenCV's BGR2GRAY), alpha ignored. */
export function greyFromRgba(rgba: ArrayLike<number>, width: number, height: number): GreyImage {
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = greyFromRgb(rgba[i * 4]!, rgba[i * 4 + 1]!, rgba[i * 4 + 2]!);
  return { width, height, data };
}

export type PreviewResult =
  | {
      ok: true;
      count: number;
      coverage: number;
      width: number;
      height: number;
      outlines: Uint8ClampedArray;
      ms: number;
    }
  | { ok: false; error: string; ms: number };

/** Segments, measures and outlines the preview; invalid parameters or too many objects give a message. */
export function computePreview(grey: GreyImage, params: ObjectSegmentationParams): PreviewResult {
  const start = performance.now();
  try {
    const segmentation = segmentObjects(grey, params);
    const measured = measureObjects(segmentation.labels, grey);
    const outlines = outlineRgba({ width: grey.width, height: grey.height, labels: segmentation.labels }, () => [
      ...PREVIEW_COLOR,
    ]);
    return {
      ok: true,
      count: measured.count,
      coverage: measured.stats.coverage,
      width: grey.width,
      height: grey.height,
      outlines,
      ms: performance.now() - start,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: message, ms: performance.now() - start };
  }
}

/** Messages to the preview worker. */
export type PreviewRequest =
  { type: "image"; grey: GreyImage } | { type: "run"; id: number; params: ObjectSegmentationParams };

/** The worker's answer to a run. */
export type PreviewResponse = { id: number; result: PreviewResult };
