/**
 * The object set as the browser shows it (objects.forImage / objects.run): descriptors, their
 * units, sorting, the histogram and the image-level numbers. Records come in pixels of the label
 * map; a pixel size turns them into physical units here, the same way as src/core/objects/units.ts
 * (lengths x k, areas x k^2), so the table always follows the image's current scale.
 */
import { formatNumber } from "~/components/canvas/scale-bar";
import type { LengthUnit, PixelSize } from "~/core/objects/units";

/** One object of the set, in label-map pixels (fields as region-props names them). */
export type ObjectRecord = {
  label: number;
  area: number;
  perimeter: number;
  centroid: readonly [number, number];
  bbox: readonly [number, number, number, number];
  equivalent_diameter: number;
  eccentricity: number;
  solidity: number | null;
  feret_diameter_max: number | null;
  circularity: number | null;
  aspect_ratio: number | null;
};

/** Image-level numbers of a set, in pixels (src/core/objects/image-stats.ts). */
export type ObjectImageStats = {
  count: number;
  coverage: number;
  density: number;
  d10: number | null;
  d50: number | null;
  d90: number | null;
  /** Index of dispersion over quadrat sizes; `max` is null when it is undefined everywhere. */
  indexOfDispersion?: { max: number | null } | null;
};

/** What the panel and the layer read of an ObjectSetDto. */
export type ObjectSetView = {
  id: string;
  count: number;
  imageStats: ObjectImageStats;
  objects: readonly ObjectRecord[];
  /** More objects than `objects` holds (the table shows the first ones). */
  objectsTruncated?: boolean;
  width: number;
  height: number;
  labelMapUrl: string;
};

export const DESCRIPTOR_IDS = [
  "area",
  "equivalent_diameter",
  "feret_diameter_max",
  "circularity",
  "aspect_ratio",
  "solidity",
] as const;
export type DescriptorId = (typeof DESCRIPTOR_IDS)[number];

/** Name and dimension (0: none, 1: a length, 2: an area) of each descriptor. */
export const DESCRIPTORS: Record<DescriptorId, { name: string; dimension: 0 | 1 | 2 }> = {
  area: { name: "Area", dimension: 2 },
  equivalent_diameter: { name: "Eq. diameter", dimension: 1 },
  feret_diameter_max: { name: "Feret max", dimension: 1 },
  circularity: { name: "Circularity", dimension: 0 },
  aspect_ratio: { name: "Aspect ratio", dimension: 0 },
  solidity: { name: "Solidity", dimension: 0 },
};

/** Length of one label-map pixel in `unit`; null: no pixel size, values stay in px. */
export type ObjectUnits = { k: number; unit: LengthUnit } | null;

/**
 * Units of a set's records: the image's pixel size times the ratio of the image to the label
 * map (the map may be computed at a capped resolution).
 */
export function objectUnits(pixelSize: PixelSize | null, imageWidth: number, labelMapWidth: number): ObjectUnits {
  if (!pixelSize || !(pixelSize.value > 0) || !(labelMapWidth > 0)) return null;
  return { k: pixelSize.value * (imageWidth / labelMapWidth), unit: pixelSize.unit };
}

/** The unit text of a descriptor ("µm²", "px", "" for dimensionless ones). */
export function descriptorUnit(id: DescriptorId, units: ObjectUnits): string {
  const dimension = DESCRIPTORS[id].dimension;
  const base = units?.unit ?? "px";
  return dimension === 0 ? "" : dimension === 2 ? `${base}²` : base;
}

/** "Area (µm²)", "Circularity". */
export function descriptorHeader(id: DescriptorId, units: ObjectUnits): string {
  const unit = descriptorUnit(id, units);
  return unit ? `${DESCRIPTORS[id].name} (${unit})` : DESCRIPTORS[id].name;
}

/** A descriptor's value in the units (null where it is undefined, e.g. Feret of one pixel). */
export function descriptorValue(record: ObjectRecord, id: DescriptorId, units: ObjectUnits): number | null {
  const raw = record[id];
  if (raw === null || raw === undefined || !Number.isFinite(raw)) return null;
  const dimension = DESCRIPTORS[id].dimension;
  return units && dimension > 0 ? raw * units.k ** dimension : raw;
}

export type SortOrder = { by: DescriptorId | "label"; direction: "ascending" | "descending" };

/** A sorted copy; undefined values go last whatever the direction. */
export function sortObjects(records: readonly ObjectRecord[], order: SortOrder, units: ObjectUnits): ObjectRecord[] {
  const sign = order.direction === "ascending" ? 1 : -1;
  const value = (r: ObjectRecord) => (order.by === "label" ? r.label : descriptorValue(r, order.by, units));
  return [...records].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === null && vb === null) return a.label - b.label;
    if (va === null) return 1;
    if (vb === null) return -1;
    return va === vb ? a.label - b.label : (va - vb) * sign;
  });
}

/** Equal-width histogram over [min, max] (the last bin includes max), numpy.histogram style. */
export function histogram(values: readonly number[], bins = 20): { edges: number[]; counts: number[] } | null {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return null;
  let min = Math.min(...finite);
  let max = Math.max(...finite);
  if (min === max) {
    min -= 0.5;
    max += 0.5;
  }
  const width = (max - min) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => min + i * width);
  const counts = new Array<number>(bins).fill(0);
  for (const v of finite) counts[Math.min(bins - 1, Math.floor((v - min) / width))]! += 1;
  return { edges, counts };
}

/** The image-level numbers as label / text pairs, in the units. */
export function imageNumbers(
  stats: ObjectImageStats,
  units: ObjectUnits,
): { id: string; label: string; text: string }[] {
  const length = (v: number | null | undefined) =>
    v === null || v === undefined ? "–" : `${formatNumber(units ? v * units.k : v)} ${units?.unit ?? "px"}`;
  const densityUnit = units ? `${units.unit}⁻²` : "px⁻²";
  const density = units ? stats.density / (units.k * units.k) : stats.density;
  return [
    { id: "count", label: "Count", text: String(stats.count) },
    { id: "coverage", label: "Coverage", text: `${(stats.coverage * 100).toFixed(2)} %` },
    { id: "density", label: "Density", text: `${formatNumber(density, 3)} ${densityUnit}` },
    { id: "d10", label: "d10", text: length(stats.d10) },
    { id: "d50", label: "d50", text: length(stats.d50) },
    { id: "d90", label: "d90", text: length(stats.d90) },
    {
      id: "id-max",
      label: "ID max",
      text: typeof stats.indexOfDispersion?.max === "number" ? formatNumber(stats.indexOfDispersion.max, 3) : "–",
    },
  ];
}

/** A table cell. */
export function formatValue(value: number | null): string {
  return value === null ? "–" : formatNumber(value, 4);
}

/** One object's descriptors as "name (unit)" / value pairs, in the units (for the hover readout). */
export function describeObject(record: ObjectRecord, units: ObjectUnits): { id: DescriptorId; text: string }[] {
  return DESCRIPTOR_IDS.map((id) => {
    const unit = descriptorUnit(id, units);
    const value = formatValue(descriptorValue(record, id, units));
    return { id, text: `${DESCRIPTORS[id].name} ${value}${unit && value !== "–" ? ` ${unit}` : ""}` };
  });
}
