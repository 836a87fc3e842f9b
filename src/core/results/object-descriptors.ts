/**
 * The per-object descriptors the results view can plot (fields of an object record, in pixels of
 * the label map), and how each converts to micrometres: lengths by the pixel size, areas by its
 * square, dimensionless ones not at all.
 */
export const OBJECT_DESCRIPTORS = {
  area: "area",
  area_convex: "area",
  perimeter: "length",
  equivalent_diameter: "length",
  axis_major_length: "length",
  axis_minor_length: "length",
  feret_diameter_max: "length",
  eccentricity: "ratio",
  orientation: "ratio",
  solidity: "ratio",
  extent: "ratio",
  circularity: "ratio",
  aspect_ratio: "ratio",
} as const satisfies Record<string, "area" | "length" | "ratio">;

export type ObjectDescriptor = keyof typeof OBJECT_DESCRIPTORS;
export const OBJECT_DESCRIPTOR_NAMES = Object.keys(OBJECT_DESCRIPTORS) as [ObjectDescriptor, ...ObjectDescriptor[]];

/** "px" or "µm": the unit of the descriptor's values (null for a dimensionless one). */
export function descriptorUnit(descriptor: ObjectDescriptor, unit: "px" | "µm"): string | null {
  const kind = OBJECT_DESCRIPTORS[descriptor];
  if (kind === "ratio") return descriptor === "orientation" ? "rad" : null;
  return kind === "area" ? `${unit}²` : unit;
}

/** The factor from label-map pixels to µm for the descriptor, given the µm side of one label-map pixel. */
export function descriptorFactor(descriptor: ObjectDescriptor, umPerPixel: number): number {
  const kind = OBJECT_DESCRIPTORS[descriptor];
  return kind === "area" ? umPerPixel * umPerPixel : kind === "length" ? umPerPixel : 1;
}

/**
 * At most `m` of `n` items, evenly spread (indices floor(i·n/m)): a deterministic sample that
 * covers the whole set, not its first labels (which are the top of the image).
 */
export function evenSampleIndices(n: number, m: number): number[] {
  if (n <= m) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: m }, (_, i) => Math.floor((i * n) / m));
}
