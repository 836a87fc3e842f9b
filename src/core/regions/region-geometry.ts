/**
 * THE region geometry: one zod schema, shared by the browser (canvas tools) and the server
 * (services validate every save with it). Coordinates are pixels of the original image, origin at
 * the top-left corner of the top-left pixel, x to the right, y down.
 *
 * Persisted in Region.geometry, so the names here are permanent. A change of meaning gets a new
 * `schemaVersion` and an entry in MIGRATIONS; `parseRegionGeometry` upgrades stored rows, so old
 * annotations keep opening.
 *
 * Pure: zod only, safe to import in client components.
 */
import { z } from "zod";

/** Current version of the geometry format. */
export const REGION_GEOMETRY_VERSION = 1 as const;

/** Hard limits that keep a single row small and a single save cheap. */
export const REGION_LIMITS = {
  maxPolygonPoints: 10_000,
  maxStrokes: 500,
  maxStrokePoints: 20_000,
  maxBrushSize: 2_000,
  maxMaskSide: 4_096,
} as const;

const coordinate = z.number().finite().min(-1e6).max(1e6);
export const pointSchema = z.tuple([coordinate, coordinate]);
export type Point = z.infer<typeof pointSchema>;

export const polygonGeometrySchema = z.object({
  schemaVersion: z.literal(REGION_GEOMETRY_VERSION),
  kind: z.literal("polygon"),
  /** Vertices in order; the polygon closes from the last back to the first. */
  points: z.array(pointSchema).min(3, "A polygon needs at least 3 points").max(REGION_LIMITS.maxPolygonPoints),
});

export const rectangleGeometrySchema = z.object({
  schemaVersion: z.literal(REGION_GEOMETRY_VERSION),
  kind: z.literal("rectangle"),
  x: coordinate,
  y: coordinate,
  width: z.number().finite().positive("A rectangle needs a width").max(1e6),
  height: z.number().finite().positive("A rectangle needs a height").max(1e6),
});

export const BRUSH_MODES = ["paint", "erase"] as const;
export type BrushMode = (typeof BRUSH_MODES)[number];

export const brushStrokeSchema = z.object({
  mode: z.enum(BRUSH_MODES),
  /** Diameter in image pixels. */
  size: z.number().finite().positive().max(REGION_LIMITS.maxBrushSize),
  points: z.array(pointSchema).min(1).max(REGION_LIMITS.maxStrokePoints),
});
export type BrushStroke = z.infer<typeof brushStrokeSchema>;

export const brushGeometrySchema = z.object({
  schemaVersion: z.literal(REGION_GEOMETRY_VERSION),
  kind: z.literal("brush"),
  /** Painted in order: "erase" strokes remove what earlier strokes of this region painted. */
  strokes: z
    .array(brushStrokeSchema)
    .min(1)
    .max(REGION_LIMITS.maxStrokes)
    .refine((strokes) => strokes.some((s) => s.mode === "paint"), "A brush region needs at least one painted stroke"),
});

/**
 * A pixel mask on a grid that covers the whole image (e.g. the 512-wide analysis image a cluster
 * or the segmentation lives on), run-length encoded: `runs` alternate background and foreground
 * lengths in row-major order, starting with background (possibly 0).
 */
export const maskGeometrySchema = z
  .object({
    schemaVersion: z.literal(REGION_GEOMETRY_VERSION),
    kind: z.literal("mask"),
    gridWidth: z.number().int().positive().max(REGION_LIMITS.maxMaskSide),
    gridHeight: z.number().int().positive().max(REGION_LIMITS.maxMaskSide),
    runs: z.array(z.number().int().nonnegative()).min(1),
    /** Where the mask came from, e.g. { analysisId, map: "clusters", clusterId: 2 }. */
    source: z
      .object({
        analysisId: z.string().max(64).optional(),
        map: z.string().max(40),
        clusterId: z.number().int().min(0).max(255).optional(),
      })
      .optional(),
  })
  .refine((mask) => mask.runs.reduce((sum, run) => sum + run, 0) === mask.gridWidth * mask.gridHeight, {
    message: "The mask's runs must cover the grid exactly",
  });

export const regionGeometrySchema = z.discriminatedUnion("kind", [
  polygonGeometrySchema,
  rectangleGeometrySchema,
  brushGeometrySchema,
  maskGeometrySchema,
]);

export type RegionGeometry = z.infer<typeof regionGeometrySchema>;
export type PolygonGeometry = z.infer<typeof polygonGeometrySchema>;
export type RectangleGeometry = z.infer<typeof rectangleGeometrySchema>;
export type BrushGeometry = z.infer<typeof brushGeometrySchema>;
export type MaskGeometry = z.infer<typeof maskGeometrySchema>;
export type RegionKind = RegionGeometry["kind"];

/**
 * Upgrades from version n to n + 1, keyed by n. Empty while version 1 is the only one; the loop
 * in parseRegionGeometry is what later versions plug into.
 */
const MIGRATIONS: Record<number, (geometry: Record<string, unknown>) => Record<string, unknown>> = {};

export class RegionGeometryError extends Error {
  override readonly name = "RegionGeometryError";
}

/**
 * Parses stored or submitted geometry, upgrading older versions. Throws RegionGeometryError with a
 * readable message when the value is not a region geometry.
 */
export function parseRegionGeometry(value: unknown): RegionGeometry {
  let current = value;
  if (typeof current === "object" && current !== null && "schemaVersion" in current) {
    let record = current as Record<string, unknown>;
    let version = Number(record.schemaVersion);
    while (Number.isInteger(version) && version < REGION_GEOMETRY_VERSION) {
      const migrate = MIGRATIONS[version];
      if (!migrate) throw new RegionGeometryError(`No migration from region geometry version ${version}`);
      record = { ...migrate(record), schemaVersion: version + 1 };
      version += 1;
    }
    current = record;
  }
  const parsed = regionGeometrySchema.safeParse(current);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RegionGeometryError(`Invalid region geometry: ${issue ? issue.message : "unknown shape"}`);
  }
  return parsed.data;
}

/** Axis-aligned bounds of a geometry in image pixels (brush strokes include their radius). */
export function geometryBounds(geometry: RegionGeometry, imageSize: { width: number; height: number }) {
  switch (geometry.kind) {
    case "rectangle":
      return { x: geometry.x, y: geometry.y, width: geometry.width, height: geometry.height };
    case "polygon":
      return boundsOfPoints(geometry.points, 0);
    case "brush": {
      const painted = geometry.strokes.filter((stroke) => stroke.mode === "paint");
      const boxes = painted.map((stroke) => boundsOfPoints(stroke.points, stroke.size / 2));
      const x = Math.min(...boxes.map((b) => b.x));
      const y = Math.min(...boxes.map((b) => b.y));
      const right = Math.max(...boxes.map((b) => b.x + b.width));
      const bottom = Math.max(...boxes.map((b) => b.y + b.height));
      return { x, y, width: right - x, height: bottom - y };
    }
    case "mask":
      return { x: 0, y: 0, width: imageSize.width, height: imageSize.height };
  }
}

function boundsOfPoints(points: readonly Point[], pad: number) {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of points) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  return { x: minX - pad, y: minY - pad, width: maxX - minX + 2 * pad, height: maxY - minY + 2 * pad };
}

/**
 * Lengths of alternating background / foreground runs over `count` cells in the order `isOn`
 * reads them, starting with background (a leading 0 when the first cell is foreground).
 */
export function alternatingRuns(count: number, isOn: (index: number) => boolean): number[] {
  const runs: number[] = [];
  let inside = false;
  let length = 0;
  for (let i = 0; i < count; i++) {
    const on = isOn(i);
    if (on !== inside) {
      runs.push(length);
      length = 0;
      inside = on;
    }
    length++;
  }
  runs.push(length);
  return runs;
}

/** Run-length encodes a 0 / non-zero mask in row-major order (see maskGeometrySchema). */
export function encodeMaskRuns(mask: ArrayLike<number>): number[] {
  return alternatingRuns(mask.length, (i) => mask[i]! !== 0);
}

/** Decodes runs into a 0 / 255 mask of `size` values. Throws RangeError when they disagree. */
export function decodeMaskRuns(runs: readonly number[], size: number): Uint8Array {
  const mask = new Uint8Array(size);
  let at = 0;
  let inside = false;
  for (const run of runs) {
    if (at + run > size) throw new RangeError("mask runs exceed the grid");
    if (inside) mask.fill(255, at, at + run);
    at += run;
    inside = !inside;
  }
  if (at !== size) throw new RangeError("mask runs do not cover the grid");
  return mask;
}
