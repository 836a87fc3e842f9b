import { readableLength, type LengthUnit, type PixelSize } from "~/core/objects/units";

const NANOMETRES: Record<LengthUnit, number> = { nm: 1, µm: 1e3, mm: 1e6 };

/** Smallest and largest share of the view's width a scale bar may take. */
export const SCALE_BAR_MIN_FRACTION = 0.1;
export const SCALE_BAR_MAX_FRACTION = 0.25;

/** A scale bar: `value` `unit` long, drawn `screenPx` screen pixels wide. */
export type ScaleBar = { value: number; unit: LengthUnit; screenPx: number; text: string };

/**
 * The scale bar for a view: the longest 1-2-5 length (1, 2, 5, 10, 20, 50 … in nm, µm or mm,
 * whichever reads best) that takes at most 25 % of the view's width. Consecutive 1-2-5 steps are
 * at most 2.5 x apart, so it also takes at least 10 %. `pixelSize` is the size of one original
 * image pixel; `scale` is screen pixels per image pixel. Null when nothing sensible fits.
 */
export function scaleBarFor(pixelSize: PixelSize, scale: number, viewWidth: number): ScaleBar | null {
  if (!(pixelSize.value > 0) || !(scale > 0) || !(viewWidth > 0)) return null;
  // Length (nm) that 25 % of the view spans.
  const maxNm = ((viewWidth * SCALE_BAR_MAX_FRACTION) / scale) * pixelSize.value * NANOMETRES[pixelSize.unit];
  if (!Number.isFinite(maxNm) || maxNm <= 0) return null;
  const nm = niceBelow(maxNm);
  const screenPx = (nm / NANOMETRES[pixelSize.unit] / pixelSize.value) * scale;
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
