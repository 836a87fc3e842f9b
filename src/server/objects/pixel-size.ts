/**
 * An image's pixel size as the application stores it and hands it out. The row keeps
 * `pixelSizeUm` (micrometres: what the upload reads from instrument tags, and what every reader
 * of the column already expects) and `pixelSizeUnit`, the unit a person gave it in, so that
 * "2.5 nm" reads back as 2.5 nm rather than 0.0025 µm. Conversions shift the decimal exponent
 * instead of multiplying, so they are exact for decimal inputs (2.5 nm -> 0.0025 µm -> 2.5 nm).
 */
import { assertPixelSize, type LengthUnit, type PixelSize } from "~/core/objects/units";

const NM_EXPONENT: Record<LengthUnit, number> = { nm: 0, µm: 3, mm: 6 };

/** `value` in `from` re-expressed in `to` (decimal exponent shift, no rounding error for decimals). */
export function convertLength(value: number, from: LengthUnit, to: LengthUnit): number {
  const shift = NM_EXPONENT[from] - NM_EXPONENT[to];
  if (shift === 0 || value === 0 || !Number.isFinite(value)) return value;
  const [mantissa, exponent = "0"] = String(value).split("e");
  return Number(`${mantissa}e${Number(exponent) + shift}`);
}

/** The columns for a pixel size (null clears it). Throws RangeError for an invalid one. */
export function pixelSizeColumns(pixelSize: PixelSize | null): {
  pixelSizeUm: number | null;
  pixelSizeUnit: string | null;
} {
  if (pixelSize === null) return { pixelSizeUm: null, pixelSizeUnit: null };
  assertPixelSize(pixelSize);
  return { pixelSizeUm: convertLength(pixelSize.value, pixelSize.unit, "µm"), pixelSizeUnit: pixelSize.unit };
}

/** The pixel size of an image row, in the unit it was given in (µm when read from the file). */
export function pixelSizeOf(image: { pixelSizeUm: number | null; pixelSizeUnit?: string | null }): PixelSize | null {
  const um = image.pixelSizeUm;
  if (um === null || !Number.isFinite(um) || um <= 0) return null;
  const unit = image.pixelSizeUnit;
  if (unit === "nm" || unit === "mm") return { value: convertLength(um, "µm", unit), unit };
  return { value: um, unit: "µm" };
}

/** A pixel size scaled by `factor` (the side of one label-map pixel in image pixels). */
export function scalePixelSize(pixelSize: PixelSize, factor: number): PixelSize {
  return factor === 1 ? pixelSize : { value: pixelSize.value * factor, unit: pixelSize.unit };
}

/** The Image columns that hold its pixel size (read with {@link pixelSizeOf}). */
export const PIXEL_SIZE_FIELDS = { pixelSizeUm: true, pixelSizeUnit: true } as const;
