/**
 * The scale-bar rule, in one place for the workspace canvas, the share page and the exported
 * overlays: the longest 1-2-5 length (1, 2, 5, 10, 20, 50 … in nm, µm or mm, whichever reads
 * best) that takes at most 25 % of the view's width. Consecutive 1-2-5 steps are at most 2.5 x
 * apart, so it also takes at least 10 %.
 */
import { readableLength, type LengthUnit, type PixelSize } from "./units";

const NANOMETRES: Record<LengthUnit, number> = { nm: 1, µm: 1e3, mm: 1e6 };

/** Smallest and largest share of the view's width a scale bar may take. */
export const SCALE_BAR_MIN_FRACTION = 0.1;
export const SCALE_BAR_MAX_FRACTION = 0.25;

/** A scale bar: `value` `unit` long, drawn `screenPx` view pixels wide. */
export type ScaleBar = { value: number; unit: LengthUnit; screenPx: number; text: string };

/**
 * The scale bar for a view `viewWidth` pixels wide. `pixelSize` is the size of one image pixel;
 * `scale` is view pixels per image pixel. Null when nothing sensible fits.
 */
export function scaleBarFor(pixelSize: PixelSize, scale: number, viewWidth: number): ScaleBar | null {
  if (!(pixelSize.value > 0) || !(scale > 0) || !(viewWidth > 0)) return null;
  const unitNm = NANOMETRES[pixelSize.unit];
  if (unitNm === undefined) return null;
  // Length (nm) that 25 % of the view spans.
  const maxNm = ((viewWidth * SCALE_BAR_MAX_FRACTION) / scale) * pixelSize.value * unitNm;
  if (!Number.isFinite(maxNm) || maxNm <= 0) return null;
  const nm = niceBelow(maxNm);
  const screenPx = (nm / unitNm / pixelSize.value) * scale;
  const readable = readableLength(nm, "nm");
  return { ...readable, screenPx, text: `${formatNumber(readable.value)} ${readable.unit}` };
}

/** The largest 1-2-5 number (…, 0.5, 1, 2, 5, 10, …) that is <= x (x > 0). */
export function niceBelow(x: number): number {
  const exponent = Math.floor(Math.log10(x));
  for (const mantissa of [5, 2, 1]) {
    const candidate = Number(`${mantissa}e${exponent}`);
    if (candidate <= x * (1 + 1e-12)) return candidate;
  }
  return Number(`5e${exponent - 1}`);
}

/** A number without float noise: 0.30000000000000004 -> "0.3", 1500 -> "1500". */
export function formatNumber(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  const rounded = Number(value.toPrecision(digits));
  return Math.abs(rounded) >= 1e6 || Math.abs(rounded) < 1e-4 ? rounded.toExponential(2) : String(rounded);
}

/** A scale bar burnt into a picture: `lengthPx` whole pixels of the picture, labelled `text`. */
export type PictureScaleBar = { lengthPx: number; text: string; value: number; unit: LengthUnit };

/**
 * The scale bar for a picture `pictureWidth` pixels wide that shows `coveredWidth` original image
 * pixels across (an analysis map at reduced resolution, say): the same 1-2-5 rule, with the pixel
 * size scaled by coveredWidth / pictureWidth so the bar is measured on the picture's own grid.
 * Null when the picture is too narrow for a bar or the sizes make no sense.
 */
export function pictureScaleBar(
  pixelSize: PixelSize,
  coveredWidth: number,
  pictureWidth: number,
): PictureScaleBar | null {
  if (!(coveredWidth > 0) || !(pictureWidth > 0)) return null;
  const factor = coveredWidth / pictureWidth;
  const bar = scaleBarFor({ value: pixelSize.value * factor, unit: pixelSize.unit }, 1, pictureWidth);
  if (!bar) return null;
  const lengthPx = Math.round(bar.screenPx);
  if (lengthPx < 2) return null;
  return { lengthPx, text: bar.text, value: bar.value, unit: bar.unit };
}
