import { assertRaster, type GreyImage, type Raster } from "./raster";
import { resizeArea } from "./resize-area";

/** Options of {@link toAnalysisImage}. */
export type AnalysisImageOptions = {
  /**
   * Width of the analysis image. The height is int(h * width / w), as in the reference.
   * @default 512
   */
  width?: number;
  /**
   * Largest analysis image accepted, in pixels. A 1-pixel-wide strip 100 000 pixels high would
   * otherwise be upscaled to 512 x 51 200 000; such inputs fail with a RangeError instead.
   * @default 67108864 (64 Mi pixels)
   */
  maxPixels?: number;
};

/** Fixed-point BGR2GRAY weights of OpenCV (0.299, 0.587, 0.114 scaled by 2^14, rounded). */
const R_WEIGHT = 4899;
const G_WEIGHT = 9617;
const B_WEIGHT = 1868;
const GREY_SHIFT = 14;

/**
 * Size of the analysis image for a `width x height` input: `targetWidth` wide and
 * int(height * targetWidth / width) high (Python int() truncation, as the reference).
 * The reference crashes when that height is 0 (an input more than 512 times wider than high);
 * we use 1 row instead.
 */
export function analysisImageSize(width: number, height: number, targetWidth = 512): { width: number; height: number } {
  if (!Number.isInteger(targetWidth) || targetWidth <= 0) {
    throw new RangeError(`target width must be a positive integer, got ${targetWidth}`);
  }
  return { width: targetWidth, height: Math.max(1, Math.trunc((height * targetWidth) / width)) };
}

/** OpenCV's cvtColor(BGR2GRAY) for 8-bit samples: (R*4899 + G*9617 + B*1868 + 8192) >> 14. */
export function greyFromRgb(r: number, g: number, b: number): number {
  return (r * R_WEIGHT + g * G_WEIGHT + b * B_WEIGHT + (1 << (GREY_SHIFT - 1))) >> GREY_SHIFT;
}

/**
 * Builds the reference's analysis image from any decoded upload: `width` (512) wide,
 * area-resampled exactly like OpenCV's INTER_AREA, then reduced to grey with OpenCV's
 * fixed-point 0.299 R + 0.587 G + 0.114 B.
 *
 * How the raster is mapped to the 8-bit BGR image the reference works on, and why: the reference
 * reads files with `cv2.imread(path)` (IMREAD_COLOR), and we reproduce what that does so that our
 * numbers can be compared with it:
 * - 16-bit samples become 8-bit by keeping the high byte (v >> 8, i.e. v / 256 truncated), which
 *   is what libpng's strip_16 does inside imread. No contrast stretch: a 12-bit detector image
 *   therefore looks dark, exactly as in the reference.
 * - alpha is dropped, not composited: imread discards it, so a transparent pixel keeps its colour.
 * - grey (and grey + alpha) inputs are replicated to three equal channels by imread; grey of three
 *   equal channels is the value itself, so we resample the single channel directly.
 * - order: the reference resizes the colour image first and converts to grey afterwards, so we
 *   resample R, G and B separately and then combine them (this is not the same as grey-then-resize
 *   because of the rounding after each step).
 */
export function toAnalysisImage(raster: Raster, options: AnalysisImageOptions = {}): GreyImage {
  assertRaster(raster);
  const size = analysisImageSize(raster.width, raster.height, options.width ?? 512);
  const maxPixels = options.maxPixels ?? 64 * 1024 * 1024;
  if (size.width * size.height > maxPixels) {
    throw new RangeError(`analysis image would be ${size.width} x ${size.height}, more than ${maxPixels} pixels`);
  }
  const { width: w, height: h, channels, data } = raster;
  const pixels = w * h;
  const shift = raster.bitDepth === 16 ? 8 : 0;

  const plane = (channel: number): Uint8Array => {
    const out = new Uint8Array(pixels);
    if (data instanceof Uint8Array) {
      if (channels === 1) out.set(data);
      else for (let i = 0, j = channel; i < pixels; i++, j += channels) out[i] = data[j]!;
    } else {
      for (let i = 0, j = channel; i < pixels; i++, j += channels) out[i] = data[j]! >> shift;
    }
    return out;
  };
  const resize = (p: Uint8Array): Uint8Array => resizeArea(p, w, h, size.width, size.height);

  // An 8-bit grey raster is its own plane: no copy.
  if (channels === 1 && shift === 0) return { ...size, data: resize(data as Uint8Array) };
  if (channels === 1 || channels === 2) return { ...size, data: resize(plane(0)) };
  // Grey of three equal channels is the value itself, and equal channels resample equally.
  const greyPlane = equalChannelsPlane(data, channels, shift);
  if (greyPlane) return { ...size, data: resize(greyPlane) };
  const r = resize(plane(0));
  const g = resize(plane(1));
  const b = resize(plane(2));
  const grey = new Uint8Array(r.length);
  for (let i = 0; i < grey.length; i++) grey[i] = greyFromRgb(r[i]!, g[i]!, b[i]!);
  return { ...size, data: grey };
}

/** The one plane of a colour image whose R, G and B are equal in every pixel; null otherwise. */
function equalChannelsPlane(data: Uint8Array | Uint16Array, channels: number, shift: number): Uint8Array | null {
  const out = new Uint8Array(data.length / channels);
  for (let i = 0, j = 0; i < out.length; i++, j += channels) {
    const r = data[j]!;
    if (data[j + 1] !== r || data[j + 2] !== r) return null;
    out[i] = r >> shift;
  }
  return out;
}
