/**
 * Pure operations on region geometry for the editor: hit tests, moves, vertex edits. Geometry
 * values are immutable; every operation returns a new one (the undo stack keeps the old).
 */
import { decodeMaskRuns, type Point, type RegionGeometry } from "~/core/regions/region-geometry";
import type { Size, Vec } from "./camera";

export function translateGeometry(geometry: RegionGeometry, dx: number, dy: number): RegionGeometry {
  const move = ([x, y]: Point): Point => [x + dx, y + dy];
  switch (geometry.kind) {
    case "polygon":
      return { ...geometry, points: geometry.points.map(move) };
    case "rectangle":
      return { ...geometry, x: geometry.x + dx, y: geometry.y + dy };
    case "brush":
      return {
        ...geometry,
        strokes: geometry.strokes.map((stroke) => ({ ...stroke, points: stroke.points.map(move) })),
      };
    case "mask":
      return geometry; // a mask is tied to its analysis grid: it does not move
  }
}

/** The draggable vertices: polygon points, rectangle corners (clockwise from top-left). */
export function vertexHandles(geometry: RegionGeometry): Point[] {
  if (geometry.kind === "polygon") return geometry.points;
  if (geometry.kind === "rectangle") {
    const { x, y, width, height } = geometry;
    return [
      [x, y],
      [x + width, y],
      [x + width, y + height],
      [x, y + height],
    ];
  }
  return [];
}

/** Moves vertex `index` to `to`; a rectangle corner move keeps the rectangle axis-aligned. */
export function moveVertex(geometry: RegionGeometry, index: number, to: Vec): RegionGeometry {
  if (geometry.kind === "polygon") {
    return { ...geometry, points: geometry.points.map((p, i): Point => (i === index ? [to.x, to.y] : p)) };
  }
  if (geometry.kind === "rectangle") {
    const corners = vertexHandles(geometry);
    const opposite = corners[(index + 2) % 4]!;
    return rectangleFromCorners({ x: opposite[0], y: opposite[1] }, to, geometry.schemaVersion);
  }
  return geometry;
}

/** Removes a polygon vertex; null when the polygon would have fewer than 3 points. */
export function deleteVertex(geometry: RegionGeometry, index: number): RegionGeometry | null {
  if (geometry.kind !== "polygon" || geometry.points.length <= 3) return null;
  return { ...geometry, points: geometry.points.filter((_, i) => i !== index) };
}

export function rectangleFromCorners(a: Vec, b: Vec, schemaVersion: 1 = 1): RegionGeometry {
  return {
    schemaVersion,
    kind: "rectangle",
    x: Math.min(a.x, b.x),
    y: Math.min(a.y, b.y),
    width: Math.max(Math.abs(b.x - a.x), 1),
    height: Math.max(Math.abs(b.y - a.y), 1),
  };
}

/** Index of the handle within `tolerance` image pixels of `point`, or -1. */
export function hitVertex(geometry: RegionGeometry, point: Vec, tolerance: number): number {
  const handles = vertexHandles(geometry);
  let best = -1;
  let bestDistance = tolerance;
  handles.forEach(([x, y], index) => {
    const distance = Math.hypot(x - point.x, y - point.y);
    if (distance <= bestDistance) {
      best = index;
      bestDistance = distance;
    }
  });
  return best;
}

/** True when `point` (image pixels) is inside the region; `tolerance` widens thin shapes. */
export function hitRegion(geometry: RegionGeometry, point: Vec, imageSize: Size, tolerance = 0): boolean {
  switch (geometry.kind) {
    case "rectangle":
      return (
        point.x >= geometry.x - tolerance &&
        point.x <= geometry.x + geometry.width + tolerance &&
        point.y >= geometry.y - tolerance &&
        point.y <= geometry.y + geometry.height + tolerance
      );
    case "polygon":
      return pointInPolygon(point, geometry.points);
    case "brush": {
      // Topmost stroke covering the point decides: painted unless a later erase stroke covers it.
      let inside = false;
      for (const stroke of geometry.strokes) {
        if (distanceToPolyline(point, stroke.points) <= stroke.size / 2 + tolerance) inside = stroke.mode === "paint";
      }
      return inside;
    }
    case "mask": {
      const gx = Math.floor((point.x / imageSize.width) * geometry.gridWidth);
      const gy = Math.floor((point.y / imageSize.height) * geometry.gridHeight);
      if (gx < 0 || gy < 0 || gx >= geometry.gridWidth || gy >= geometry.gridHeight) return false;
      return maskValueAt(geometry.runs, gy * geometry.gridWidth + gx);
    }
  }
}

export function pointInPolygon(point: Vec, polygon: readonly Point[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]!;
    const [xj, yj] = polygon[j]!;
    if (yi > point.y !== yj > point.y && point.x < ((xj - xi) * (point.y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function distanceToPolyline(point: Vec, points: readonly Point[]): number {
  if (points.length === 1) return Math.hypot(points[0]![0] - point.x, points[0]![1] - point.y);
  let best = Infinity;
  for (let i = 1; i < points.length; i++) {
    const [ax, ay] = points[i - 1]!;
    const [bx, by] = points[i]!;
    const dx = bx - ax;
    const dy = by - ay;
    const lengthSquared = dx * dx + dy * dy;
    const t =
      lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, ((point.x - ax) * dx + (point.y - ay) * dy) / lengthSquared));
    best = Math.min(best, Math.hypot(ax + t * dx - point.x, ay + t * dy - point.y));
  }
  return best;
}

function maskValueAt(runs: readonly number[], index: number): boolean {
  let at = 0;
  let inside = false;
  for (const run of runs) {
    if (index < at + run) return inside;
    at += run;
    inside = !inside;
  }
  return false;
}

/** The mask as 0 / 255 values on its grid (for rendering). */
export function maskPixels(geometry: Extract<RegionGeometry, { kind: "mask" }>): Uint8Array {
  return decodeMaskRuns(geometry.runs, geometry.gridWidth * geometry.gridHeight);
}
