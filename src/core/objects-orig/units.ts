import type { RegionProps } from "./region-props";

/**
 * Physical units, applied once, at the edge: the kernels (region-props and its helpers) only ever
 * see pixels; `toPhysical` turns a finished record into lengths in the pixel-size unit and areas in
 * that unit squared.
 */

/** Length units a pixel size may be given in. */
export const LengthUnit = { nm: "nm", um: "µm", mm: "mm" } as const;
/** One of "nm", "µm", "mm". */
export type LengthUnit = (typeof LengthUnit)[keyof typeof LengthUnit];

/** Side of one (square) pixel: `value` `unit` per pixel, e.g. { value: 2.5, unit: "nm" }. */
export type PixelSize = { value: number; unit: LengthUnit };

const NANOMETRES: Record<LengthUnit, number> = { nm: 1, µm: 1e3, mm: 1e6 };

/** ASCII suffix used in field names: "µm" → "um". */
export type UnitSuffix<U extends LengthUnit> = U extends "µm" ? "um" : U;

/** Field-name suffix of a unit ("nm", "um", "mm"). */
export function unitSuffix<U extends LengthUnit>(unit: U): UnitSuffix<U> {
  return (unit === "µm" ? "um" : unit) as UnitSuffix<U>;
}

function isLengthUnit(unit: unknown): unit is LengthUnit {
  return unit === "nm" || unit === "µm" || unit === "mm";
}

/**
 * Checks a pixel size: `value` must be a finite number > 0 and `unit` one of "nm", "µm", "mm"
 * ("um" and "μm" (Greek mu) are refused too: store the canonical "µm", U+00B5).
 * Throws RangeError with a message naming what is wrong.
 */
export function assertPixelSize(pixelSize: unknown): asserts pixelSize is PixelSize {
  if (typeof pixelSize !== "object" || pixelSize === null) {
    throw new RangeError(`pixel size must be an object { value, unit }, got ${String(pixelSize)}`);
  }
  const { value, unit } = pixelSize as { value?: unknown; unit?: unknown };
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`pixel size must be a finite number > 0, got ${String(value)}`);
  }
  if (!isLengthUnit(unit)) {
    throw new RangeError(`pixel size unit must be one of "nm", "µm", "mm", got ${JSON.stringify(unit)}`);
  }
}

/** Lengths of a record, in pixels, that scale with the pixel size. */
const LENGTHS = ["perimeter", "equivalent_diameter", "axis_major_length", "axis_minor_length"] as const;
type LengthKey = (typeof LENGTHS)[number] | "feret_diameter_max" | "centroid_row" | "centroid_col";
type AreaKey = "area" | "area_convex";

/**
 * A {@link RegionProps} record in physical units with suffix S ("nm", "um", "mm"): lengths as
 * `<name>_<S>` (e.g. `equivalent_diameter_um`, `centroid_row_um`), areas as `<name>_<S>2`
 * (e.g. `area_um2`). Dimensionless descriptors keep their names; `bbox` stays in pixel indices.
 */
export type PhysicalRegionProps<S extends string> = {
  label: number;
  /** The unit of every suffixed field. */
  unit: LengthUnit;
  bbox: RegionProps["bbox"];
  eccentricity: number;
  orientation: number;
  solidity: number | null;
  extent: number;
  circularity: number | null;
  aspect_ratio: number | null;
} & { [K in Exclude<LengthKey, "feret_diameter_max"> as `${K}_${S}`]: number } & {
  [K in "feret_diameter_max" as `${K}_${S}`]: number | null;
} & { [K in "area" as `${K}_${S}2`]: number } & { [K in "area_convex" as `${K}_${S}2`]: number | null };

/** Converts one record from pixels to the pixel size's unit (lengths × value, areas × value²). */
export function toPhysical<U extends LengthUnit>(
  record: RegionProps,
  pixelSize: { value: number; unit: U },
): PhysicalRegionProps<UnitSuffix<U>> {
  assertPixelSize(pixelSize);
  const s = unitSuffix(pixelSize.unit);
  const k = pixelSize.value;
  const k2 = k * k;
  const out: Record<string, unknown> = {
    label: record.label,
    unit: pixelSize.unit,
    bbox: record.bbox,
    eccentricity: record.eccentricity,
    orientation: record.orientation,
    solidity: record.solidity,
    extent: record.extent,
    circularity: record.circularity,
    aspect_ratio: record.aspect_ratio,
  };
  for (const key of LENGTHS) out[`${key}_${s}`] = record[key] * k;
  out[`feret_diameter_max_${s}`] = record.feret_diameter_max === null ? null : record.feret_diameter_max * k;
  out[`centroid_row_${s}`] = record.centroid[0] * k;
  out[`centroid_col_${s}`] = record.centroid[1] * k;
  const areaKeys: AreaKey[] = ["area", "area_convex"];
  for (const key of areaKeys) {
    const v = record[key];
    out[`${key}_${s}2`] = v === null ? null : v * k2;
  }
  return out as PhysicalRegionProps<UnitSuffix<U>>;
}

/**
 * A length re-expressed in the unit that reads best: the largest of nm, µm, mm in which its
 * magnitude is ≥ 1 (nm below 1 nm, mm at 1000 mm and above). 1500 nm → 1.5 µm, 0.25 µm → 250 nm.
 * Zero and non-finite values keep their unit.
 */
export function readableLength(value: number, unit: LengthUnit): { value: number; unit: LengthUnit } {
  if (!isLengthUnit(unit)) throw new RangeError(`unknown length unit ${JSON.stringify(unit)}`);
  if (value === 0 || !Number.isFinite(value)) return { value, unit };
  const nm = value * NANOMETRES[unit];
  const magnitude = Math.abs(nm);
  const target: LengthUnit = magnitude >= 1e6 ? "mm" : magnitude >= 1e3 ? "µm" : "nm";
  if (target === unit) return { value, unit };
  // Shift the decimal exponent rather than divide, so 1.1 µm reads 1100 nm, not 1100.0000000000002.
  const shift = Math.round(Math.log10(NANOMETRES[unit] / NANOMETRES[target]));
  const [mantissa, exponent = "0"] = String(value).split("e");
  return { value: Number(`${mantissa}e${Number(exponent) + shift}`), unit: target };
}
