/**
 * When two regions are "the same region": the identity a COCO merge import uses to skip what an
 * image already has. Two regions are identical when they have the same class (or both none) and
 * the same canonical geometry:
 *   - coordinates rounded to 1/1000 px (JSON and float rounding of other tools);
 *   - a rectangle is the polygon of its four corners (COCO carries boxes as such polygons);
 *   - a polygon starts at its smallest vertex (x, then y) and runs in the direction whose second
 *     vertex is smaller (same outline, any start vertex or orientation);
 *   - a brush keeps its strokes in order (erase strokes depend on it), sizes rounded;
 *   - a mask is its grid size and runs; where it came from (`source`) is not part of its shape.
 * Geometry that covers the same pixels but is drawn differently (a brush stroke vs. the mask of
 * its raster) is not identical: comparing rasters would cost an image-sized buffer per region.
 *
 * Pure (no hashing here: the server hashes the string).
 */
import type { Point, RegionGeometry } from "./region-geometry";

const round = (value: number) => Math.round(value * 1000) / 1000;
const roundPoint = ([x, y]: Point): Point => [round(x), round(y)];
const before = (a: Point, b: Point) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

/** The outline from its smallest vertex, in the direction whose next vertex is smaller. */
export function canonicalRing(points: readonly Point[]): Point[] {
  const ring = points.map(roundPoint);
  const n = ring.length;
  if (n === 0) return ring;
  let start = 0;
  for (let i = 1; i < n; i++) if (before(ring[i]!, ring[start]!)) start = i;
  const forward = Array.from({ length: n }, (_, i) => ring[(start + i) % n]!);
  const backward = Array.from({ length: n }, (_, i) => ring[(start - i + n) % n]!);
  return n > 2 && before(backward[1]!, forward[1]!) ? backward : forward;
}

/** The canonical text of a geometry (equal strings = the same shape, as defined above). */
export function canonicalGeometry(geometry: RegionGeometry): string {
  switch (geometry.kind) {
    case "polygon":
      return JSON.stringify(["polygon", canonicalRing(geometry.points)]);
    case "rectangle": {
      const { x, y, width, height } = geometry;
      const corners: Point[] = [
        [x, y],
        [x + width, y],
        [x + width, y + height],
        [x, y + height],
      ];
      return JSON.stringify(["polygon", canonicalRing(corners)]);
    }
    case "brush":
      return JSON.stringify([
        "brush",
        geometry.strokes.map((stroke) => [stroke.mode, round(stroke.size), stroke.points.map(roundPoint)]),
      ]);
    case "mask":
      return JSON.stringify(["mask", geometry.gridWidth, geometry.gridHeight, geometry.runs]);
  }
}

/** The identity text of a region: its class (null: none) and canonical geometry. */
export function regionIdentity(labelClassId: string | null, geometry: RegionGeometry): string {
  return `${labelClassId ?? "-"}\n${canonicalGeometry(geometry)}`;
}
