/**
 * Object segmentation pipelines shared by the dev evaluation (object-segmentation-f1.ts) and the
 * benchmark (bench/objects.bench.ts):
 * - `textbookRecipe`: the textbook chain (Gaussian, Otsu, fill holes, EDT, h-maxima markers,
 *   watershed) built from the src/core/objects kernels, i.e. the baseline the issue names;
 * - `loadSegmentObjects`: the product's `segmentObjects` (src/core/objects/segment-objects.ts)
 *   when that module exists, loaded at run time so these scripts also work before it lands.
 */
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { binarize, otsuThreshold } from "~/core/analysis/otsu";
import { greyHistogram } from "~/core/analysis/histogram";
import type { GreyImage } from "~/core/analysis/raster";
import { distanceTransform } from "~/core/objects/distance-transform";
import { fillHoles } from "~/core/objects/fill-holes";
import { filterObjects } from "~/core/objects/filter-objects";
import { hMaxima } from "~/core/objects/h-maxima";
import { watershed } from "~/core/objects/watershed";

/** A label map: 0 = background, objects 1..count; with per-step times (ms) when the pipeline reports them. */
export type LabelMap = { labels: Int32Array; count: number; timingsMs?: Record<string, number> };

/**
 * Gaussian blur with scipy.ndimage.gaussian_filter semantics (mode "nearest", truncate 4, i.e.
 * kernel radius round(4 sigma)), separable, on the 0..255 values; rounded back to 8 bits so the
 * 256-bin Otsu of src/core/analysis applies. sigma <= 0 returns a copy.
 */
export function gaussianBlur8(data: Uint8Array, width: number, height: number, sigma: number): Uint8Array {
  if (!(sigma > 0)) return data.slice();
  const radius = Math.round(4 * sigma);
  const kernel = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let k = -radius; k <= radius; k++) sum += kernel[k + radius] = Math.exp((-0.5 * k * k) / (sigma * sigma));
  for (let k = 0; k < kernel.length; k++) kernel[k]! /= sum;
  const tmp = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let k = -radius; k <= radius; k++) {
        const xx = x + k < 0 ? 0 : x + k >= width ? width - 1 : x + k;
        acc += kernel[k + radius]! * data[row + xx]!;
      }
      tmp[row + x] = acc;
    }
  }
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let k = -radius; k <= radius; k++) {
        const yy = y + k < 0 ? 0 : y + k >= height ? height - 1 : y + k;
        acc += kernel[k + radius]! * tmp[yy * width + x]!;
      }
      out[y * width + x] = Math.min(255, Math.max(0, Math.round(acc)));
    }
  }
  return out;
}

/** Options of {@link textbookRecipe}. */
export type TextbookRecipeOptions = {
  /** Gaussian sigma in pixels. @default 1 */
  sigma?: number;
  /** h of the h-maxima markers on the EDT, in pixels. @default 2 */
  h?: number;
  /** Objects brighter ("bright") or darker ("dark") than the background. @default "bright" */
  polarity?: "bright" | "dark";
  /** Drop objects touching the image border. @default false */
  clearBorder?: boolean;
  /** Smallest kept area, pixels. @default 0 */
  minArea?: number;
};

/** Per-step wall times (ms) of one {@link textbookRecipe} call. */
export type RecipeTimings = Record<
  "gaussian" | "otsu" | "fillHoles" | "edt" | "hMaxima" | "watershed" | "filter",
  number
>;

/**
 * The textbook recipe: Gaussian (sigma 1), Otsu threshold (foreground above it, or below it for
 * dark objects), fill holes, Euclidean distance transform, h-maxima markers (h = 2) on the EDT,
 * marker watershed of the negated EDT inside the mask, then border/size filter and compact
 * relabelling.
 */
export function textbookRecipe(
  image: GreyImage,
  options: TextbookRecipeOptions = {},
): LabelMap & { threshold: number; timings: RecipeTimings } {
  const { width, height } = image;
  const { sigma = 1, h = 2, polarity = "bright", clearBorder = false, minArea = 0 } = options;
  let t = performance.now();
  const lap = (): number => {
    const now = performance.now();
    const dt = now - t;
    t = now;
    return dt;
  };
  const smooth = gaussianBlur8(image.data, width, height, sigma);
  const gaussian = lap();
  const threshold = otsuThreshold(greyHistogram(smooth));
  let mask = binarize(smooth, threshold);
  if (polarity === "dark") for (let i = 0; i < mask.length; i++) mask[i] = mask[i] === 0 ? 1 : 0;
  const otsu = lap();
  mask = fillHoles(mask, width, height);
  const fill = lap();
  const edt = distanceTransform(mask, width, height);
  const edtMs = lap();
  const markers = hMaxima(edt, width, height, h);
  const hmax = lap();
  for (let i = 0; i < edt.length; i++) edt[i] = -edt[i]!;
  const basins = watershed(edt, markers.labels, width, height, { mask });
  const ws = lap();
  const out = filterObjects(basins, width, height, { clearBorder, minArea });
  const filter = lap();
  const timings = { gaussian, otsu, fillHoles: fill, edt: edtMs, hMaxima: hmax, watershed: ws, filter };
  return { ...out, threshold, timings, timingsMs: timings };
}

/** `segmentObjects` as loaded at run time, reduced to "grey image in, label map out". */
export type SegmentObjectsFn = ((image: GreyImage, params?: Record<string, unknown>) => LabelMap) & {
  /** The module's DEFAULT_OBJECT_PARAMS, when it exports them (printed with results). */
  defaults?: unknown;
};

const SEGMENT_OBJECTS_PATH = fileURLToPath(new URL("../../src/core/objects/segment-objects.ts", import.meta.url));

/**
 * Loads `segmentObjects` from src/core/objects/segment-objects.ts if that file exists, wrapped so
 * it is called with its defaults. Returns the reason as a string when it is missing or its result
 * holds no label map this script recognises (an Int32Array `labels`, or an Int32Array itself).
 */
export async function loadSegmentObjects(): Promise<SegmentObjectsFn | string> {
  if (!existsSync(SEGMENT_OBJECTS_PATH)) return "src/core/objects/segment-objects.ts does not exist yet";
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(SEGMENT_OBJECTS_PATH).href)) as Record<string, unknown>;
  } catch (error) {
    return `src/core/objects/segment-objects.ts failed to load: ${String(error)}`;
  }
  const fn = mod.segmentObjects;
  if (typeof fn !== "function") return "src/core/objects/segment-objects.ts exports no segmentObjects function";
  const call = fn as (...args: unknown[]) => unknown;
  const wrapped: SegmentObjectsFn = (image: GreyImage, params?: Record<string, unknown>): LabelMap => {
    const result = call.length >= 3 ? call(image.data, image.width, image.height) : call(image, params ?? {});
    return toLabelMap(result);
  };
  wrapped.defaults = mod.DEFAULT_OBJECT_PARAMS;
  return wrapped;
}

function toLabelMap(result: unknown): LabelMap {
  const labels =
    result instanceof Int32Array
      ? result
      : result !== null && typeof result === "object" && (result as { labels?: unknown }).labels instanceof Int32Array
        ? (result as { labels: Int32Array }).labels
        : null;
  if (labels === null) throw new TypeError("segmentObjects returned no Int32Array label map");
  const { count: declared, timingsMs } = result as { count?: unknown; timingsMs?: unknown };
  let count = typeof declared === "number" ? declared : 0;
  if (typeof declared !== "number") for (let i = 0; i < labels.length; i++) if (labels[i]! > count) count = labels[i]!;
  return timingsMs !== null && typeof timingsMs === "object"
    ? { labels, count, timingsMs: timingsMs as Record<string, number> }
    : { labels, count };
}
