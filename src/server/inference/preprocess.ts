/**
 * The reference preprocessing (docs/reference.md, "Classification"), pure: Raster -> the
 * contract's input plane.
 *
 * torchvision on PIL: Resize(307) (shorter side to 307, the longer one truncated, bilinear with
 * PIL's antialiasing triangle filter), CenterCrop(256) (offsets rounded half to even, as Python's
 * round), Grayscale (ITU-R 601 luma), ToTensor (/255). PIL resamples horizontally then vertically
 * and rounds to the image's integer codes after each pass; we do the same, and only for the pixels
 * inside the crop, so a 1536 x 1103 micrograph costs about 0.3 M multiply-adds, not a full resize.
 * The one deliberate difference: we take luma before resizing (PIL after), which is linear and so
 * equal up to rounding (checked against torchvision's tensors in __tests__/preprocess.test.ts).
 */
import "server-only";
import { assertRaster, type Raster } from "~/core/analysis/raster";
import { planTiles, type Tile, type TileRect } from "~/core/analysis/tiles";

import { INPUT_PLANE, INPUT_SIZE } from "./onnx-contract";

/** int(1.2 * 256): the reference resizes the shorter side to this before the centre crop. */
export const RESIZE_SHORTER_SIDE_TO = 307;

/** ITU-R BT.601 luma weights. */
const LUMA = [0.299, 0.587, 0.114] as const;

/** Grey code values (0..255 or 0..65535) of a raster, one per pixel; alpha is ignored. */
export function lumaPlane(raster: Raster): Float32Array {
  assertRaster(raster);
  const out = new Float32Array(raster.width * raster.height);
  for (let y = 0; y < raster.height; y++) lumaRow(raster, y, out.subarray(y * raster.width, (y + 1) * raster.width));
  return out;
}

/** {@link lumaPlane} of one row, into `out` (raster.width values). */
function lumaRow(raster: Raster, y: number, out: Float32Array): void {
  const { width, channels, data } = raster;
  let o = y * width * channels;
  if (channels <= 2) {
    for (let x = 0; x < width; x++, o += channels) out[x] = data[o]!;
  } else {
    for (let x = 0; x < width; x++, o += channels) {
      const r = data[o]!;
      const g = data[o + 1]!;
      const b = data[o + 2]!;
      // Grey stored as colour: the luma of equal channels is the value itself (float32-exact for
      // every 8- and 16-bit code), without the three products.
      out[x] = r === g && g === b ? r : LUMA[0] * r + LUMA[1] * g + LUMA[2] * b;
    }
  }
}

/** torchvision's Resize(int) output size: shorter side to `target`, longer side truncated. */
export function resizedSize(
  width: number,
  height: number,
  target = RESIZE_SHORTER_SIDE_TO,
): { width: number; height: number } {
  if (width <= height) return { width: target, height: Math.trunc((target * height) / width) };
  return { width: Math.trunc((target * width) / height), height: target };
}

/** Python's round(): nearest integer, ties to even. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** torchvision's CenterCrop offsets. */
export function centreCropOffset(size: number, crop: number): number {
  return roundHalfEven((size - crop) / 2);
}

type Taps = { start: Int32Array; count: Int32Array; weights: Float64Array; maxTaps: number };

/**
 * PIL's antialiased bilinear coefficients (Resample.c precompute_coeffs, triangle filter with
 * support scaled by the reduction factor) for output indices [first, first + n). torch's
 * `interpolate(mode="bilinear", antialias=True)` computes the same coefficients (SAM 2's resize).
 */
export function triangleTaps(inSize: number, outSize: number, first: number, n: number): Taps {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filterScale;
  const maxTaps = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(n);
  const count = new Int32Array(n);
  const weights = new Float64Array(n * maxTaps);
  for (let j = 0; j < n; j++) {
    const center = (first + j + 0.5) * scale;
    const lo = Math.max(0, Math.trunc(center - support + 0.5));
    const hi = Math.min(inSize, Math.trunc(center + support + 0.5));
    let total = 0;
    const taps = Math.min(hi - lo, maxTaps);
    for (let t = 0; t < taps; t++) {
      const x = Math.abs((t + lo - center + 0.5) / filterScale);
      const w = x < 1 ? 1 - x : 0;
      weights[j * maxTaps + t] = w;
      total += w;
    }
    if (total > 0) for (let t = 0; t < taps; t++) weights[j * maxTaps + t] = (weights[j * maxTaps + t] ?? 0) / total;
    start[j] = lo;
    count[j] = taps;
  }
  return { start, count, weights, maxTaps };
}

function clampRound(x: number, maxCode: number): number {
  const r = Math.round(x);
  return r < 0 ? 0 : r > maxCode ? maxCode : r;
}

/**
 * The contract's input plane for one image: 256 x 256 float32 in [0, 1], row-major (the centre
 * crop of the resized image). Throws TypeError/RangeError on a malformed raster.
 */
export function preprocessRaster(raster: Raster): Float32Array {
  assertRaster(raster);
  const resized = resizedSize(raster.width, raster.height);
  return resizedWindow(raster, {
    left: centreCropOffset(resized.width, INPUT_SIZE),
    top: centreCropOffset(resized.height, INPUT_SIZE),
    width: INPUT_SIZE,
    height: INPUT_SIZE,
  });
}

/**
 * The largest rectangle of the resized image (resizedSize) whose pixels are computed only from
 * source pixels inside `area` (source px), each axis with its own scale: the triangle filter of
 * resized pixel j reads the source pixels within filterScale of its centre (j + 0.5) * scale, so
 * at an edge of the area inside the image the rectangle stops where that reach would cross it
 * (about half a resized pixel inside the area's scaled edge); at the image's own edges it goes to
 * the border. An area too thin for any such pixel keeps the resized pixel at its middle.
 */
export function resizedRectWithin(area: TileRect, width: number, height: number): TileRect {
  const resized = resizedSize(width, height);
  const [left, outWidth] = axisWithin(area.left, area.width, width, resized.width);
  const [top, outHeight] = axisWithin(area.top, area.height, height, resized.height);
  return { left, top, width: outWidth, height: outHeight };
}

function axisWithin(start: number, length: number, inSize: number, outSize: number): [number, number] {
  if (!(start >= 0 && length >= 1 && start + length <= inSize))
    throw new RangeError(`the area [${start}, ${start + length}) is not inside 0..${inSize}`);
  const scale = inSize / outSize;
  const reach = Math.max(scale, 1);
  const eps = 1e-9;
  // Pixel j reads source pixel t when |t + 0.5 - (j + 0.5) * scale| < reach.
  const first = start === 0 ? 0 : Math.ceil((start - 0.5 + reach) / scale - 0.5 - eps);
  const end = start + length === inSize ? outSize : Math.floor((start + length + 0.5 - reach) / scale - 0.5 + eps) + 1;
  if (end > first) return [first, end - first];
  const middle = Math.min(outSize - 1, Math.max(0, Math.floor((start + length / 2) / scale)));
  return [middle, 1];
}

/**
 * The tiles mode's input planes: the image resized exactly as for the centre crop (the model's
 * scale), then covered by 256 x 256 tiles (core/analysis/tiles.ts), each tile's plane cut from
 * the one resized image (so a tile at the centre-crop offsets is exactly preprocessRaster's plane).
 * `area`: the analysed area in resized pixels (default: the whole resized image).
 */
export function preprocessTiles(
  raster: Raster,
  area?: TileRect,
): { width: number; height: number; tiles: Tile[]; planes: Float32Array[] } {
  assertRaster(raster);
  const { width, height } = resizedSize(raster.width, raster.height);
  const tiles = planTiles(width, height, INPUT_SIZE, area);
  const whole = resizedWindow(raster, { left: 0, top: 0, width, height });
  const planes = tiles.map((tile) => {
    const plane = new Float32Array(INPUT_PLANE);
    for (let y = 0; y < INPUT_SIZE; y++) {
      const from = (tile.top + y) * width + tile.left;
      plane.set(whole.subarray(from, from + INPUT_SIZE), y * INPUT_SIZE);
    }
    return plane;
  });
  return { width, height, tiles, planes };
}

/**
 * A window (in resized pixels) of the resized grey image, float32 in [0, 1], row-major: only the
 * source rows and output pixels the window needs are computed. Also what the CLI lays under a CAM.
 */
export function resizedWindow(raster: Raster, window: TileRect): Float32Array {
  const maxCode = raster.bitDepth === 16 ? 65535 : 255;
  const { width: inW, height: inH } = raster;
  const resized = resizedSize(inW, inH);
  const { left, top, width: outW, height: outH } = window;
  const cols = triangleTaps(inW, resized.width, left, outW);
  const rows = triangleTaps(inH, resized.height, top, outH);

  // Horizontal pass over just the source rows the vertical pass will read, each taken to grey
  // (lumaPlane's values) as it is read.
  const firstRow = rows.start[0]!;
  const lastRow = rows.start[outH - 1]! + rows.count[outH - 1]!;
  const nRows = lastRow - firstRow;
  const horizontal = new Float32Array(nRows * outW);
  const grey = new Float32Array(inW);
  const { start: colStart, count: colCount, weights: colWeights, maxTaps: colTaps } = cols;
  for (let r = 0; r < nRows; r++) {
    lumaRow(raster, firstRow + r, grey);
    const row = r * outW;
    for (let x = 0; x < outW; x++) {
      const s = colStart[x]!;
      const c = colCount[x]!;
      const w = x * colTaps;
      let acc = 0;
      for (let t = 0; t < c; t++) acc += colWeights[w + t]! * grey[s + t]!;
      horizontal[row + x] = clampRound(acc, maxCode);
    }
  }
  const out = new Float32Array(outW * outH);
  const { start: rowStart, count: rowCount, weights: rowWeights, maxTaps: rowTaps } = rows;
  const column = new Float64Array(outW);
  for (let y = 0; y < outH; y++) {
    const s = rowStart[y]! - firstRow;
    const c = rowCount[y]!;
    const w = y * rowTaps;
    // Tap by tap over whole rows (the same sum, in the same order, per pixel).
    column.fill(0);
    for (let t = 0; t < c; t++) {
      const weight = rowWeights[w + t]!;
      const source = (s + t) * outW;
      for (let x = 0; x < outW; x++) column[x] = column[x]! + weight * horizontal[source + x]!;
    }
    const row = y * outW;
    for (let x = 0; x < outW; x++) out[row + x] = clampRound(column[x]!, maxCode) / maxCode;
  }
  return out;
}

/** The display crop as 8-bit grey (what the CAM is laid over). */
export function planeToGreyBytes(plane: Float32Array): Uint8Array {
  const out = new Uint8Array(plane.length);
  for (let i = 0; i < plane.length; i++) out[i] = Math.round(Math.min(1, Math.max(0, plane[i] ?? 0)) * 255);
  return out;
}
