/**
 * The encoder's input, exactly as SAM 2 prepares it (sam2/utils/transforms.py, SAM2Transforms,
 * which the seed app's SamAutomaticMaskGenerator and SAM2ImagePredictor go through):
 * ToTensor (code / 255, float), Resize((1024, 1024)) straight to the square (aspect ratio not
 * kept), then Normalize with ImageNet's mean (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225).
 *
 * Interpolation: torchvision's Resize on a float tensor is bilinear with antialiasing
 * (torch.nn.functional.interpolate(mode="bilinear", antialias=True, align_corners=False), the
 * default since torchvision 0.17, which SAM 2 requires). Its coefficients are PIL's triangle
 * filter widened by the reduction factor; we reuse the classifier's implementation of them
 * (preprocess.ts, triangleTaps) and apply them in floating point with no rounding between the
 * passes, as torch does on float tensors. Why not sharp: libvips resizes 8-bit codes (rounded
 * after each pass) with its own kernel, and not OpenCV's INTER_LINEAR (samexporter's demo): the
 * model was trained and is evaluated on torchvision's resize, and the probe tests pin ours to it
 * (tests/fixtures/sam2-reference/preprocess.json, made by scripts/reference/sam2_preprocess.py).
 *
 * Samples: 8-bit codes / 255, 16-bit codes / 65535 (the whole range, no window: SAM sees what the
 * file holds); grey is replicated to R, G and B; alpha is ignored.
 */
import "server-only";
import { assertRaster, type Raster } from "~/core/analysis/raster";

import { triangleTaps } from "../preprocess";
import { SAM2_INPUT_SIZE } from "./sam2-contract";

export const SAM2_PIXEL_MEAN = [0.485, 0.456, 0.406] as const;
export const SAM2_PIXEL_STD = [0.229, 0.224, 0.225] as const;

/** Bump when the preprocessing changes: cached embeddings of the old one are not reused. */
export const SAM2_EMBEDDING_CODE_VERSION = "sam2-embedding@1";

/**
 * One channel of the raster (0..2; grey rasters give their one channel for each), resized to
 * `size` x `size` with the antialiased bilinear filter, values in [0, 1], row-major.
 */
export function resizeChannel(raster: Raster, channel: number, size: number = SAM2_INPUT_SIZE): Float32Array {
  const { width: inW, height: inH, channels, data } = raster;
  const source = channels <= 2 ? 0 : channel;
  const scale = 1 / (raster.bitDepth === 16 ? 65535 : 255);
  const cols = triangleTaps(inW, size, 0, size);
  const rows = triangleTaps(inH, size, 0, size);

  // Horizontal pass over every source row.
  const horizontal = new Float32Array(inH * size);
  const { start: colStart, count: colCount, weights: colWeights, maxTaps: colTaps } = cols;
  for (let y = 0; y < inH; y++) {
    const rowBase = y * inW * channels + source;
    const out = y * size;
    for (let x = 0; x < size; x++) {
      const s = colStart[x]!;
      const c = colCount[x]!;
      const w = x * colTaps;
      let acc = 0;
      for (let t = 0, i = rowBase + s * channels; t < c; t++, i += channels) acc += colWeights[w + t]! * data[i]!;
      horizontal[out + x] = acc * scale;
    }
  }
  // Vertical pass, tap by tap over whole rows.
  const result = new Float32Array(size * size);
  const column = new Float64Array(size);
  const { start: rowStart, count: rowCount, weights: rowWeights, maxTaps: rowTaps } = rows;
  for (let y = 0; y < size; y++) {
    const s = rowStart[y]!;
    const c = rowCount[y]!;
    const w = y * rowTaps;
    column.fill(0);
    for (let t = 0; t < c; t++) {
      const weight = rowWeights[w + t]!;
      const from = (s + t) * size;
      for (let x = 0; x < size; x++) column[x] = column[x]! + weight * horizontal[from + x]!;
    }
    result.set(column, y * size);
  }
  return result;
}

/**
 * The encoder's `image` input for a decoded image: 3 x 1024 x 1024 float32, CHW, normalised
 * (see the module comment). Throws TypeError/RangeError on a malformed raster.
 */
export function sam2EncoderPlanes(raster: Raster): Float32Array {
  assertRaster(raster);
  const plane = SAM2_INPUT_SIZE * SAM2_INPUT_SIZE;
  const out = new Float32Array(3 * plane);
  const grey = raster.channels <= 2 ? resizeChannel(raster, 0) : null;
  for (let c = 0; c < 3; c++) {
    const resized = grey ?? resizeChannel(raster, c);
    const mean = SAM2_PIXEL_MEAN[c]!;
    const std = SAM2_PIXEL_STD[c]!;
    const offset = c * plane;
    for (let i = 0; i < plane; i++) out[offset + i] = (resized[i]! - mean) / std;
  }
  return out;
}
