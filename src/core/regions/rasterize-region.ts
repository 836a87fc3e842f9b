/**
 * Region geometries as pixel masks on the image grid (1 byte per pixel, 0 or 1), for COCO's
 * standard `segmentation` RLE. A pixel belongs to a shape when its centre does: brush strokes
 * are round-capped lines of width `size`, as the canvas draws them (canvas/region-raster.ts);
 * mask regions are resampled nearest-neighbour from their grid to the image.
 */
import { decodeMaskRuns, type BrushGeometry, type MaskGeometry } from "~/core/regions/region-geometry";

export function rasterizeBrush(geometry: BrushGeometry, width: number, height: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  for (const stroke of geometry.strokes) {
    const value = stroke.mode === "paint" ? 1 : 0;
    const radius = stroke.size / 2;
    const points = stroke.points.length === 1 ? [stroke.points[0]!, stroke.points[0]!] : stroke.points;
    for (let s = 0; s + 1 < points.length; s++) {
      const [ax, ay] = points[s]!;
      const [bx, by] = points[s + 1]!;
      const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - radius));
      const x1 = Math.min(width - 1, Math.ceil(Math.max(ax, bx) + radius));
      const y0 = Math.max(0, Math.floor(Math.min(ay, by) - radius));
      const y1 = Math.min(height - 1, Math.ceil(Math.max(ay, by) + radius));
      const dx = bx - ax;
      const dy = by - ay;
      const lengthSquared = dx * dx + dy * dy;
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) {
          const px = x + 0.5;
          const py = y + 0.5;
          const t =
            lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / lengthSquared));
          const ex = px - (ax + t * dx);
          const ey = py - (ay + t * dy);
          if (ex * ex + ey * ey <= radius * radius) mask[y * width + x] = value;
        }
      }
    }
  }
  return mask;
}

export function resampleMask(geometry: MaskGeometry, width: number, height: number): Uint8Array {
  const grid = decodeMaskRuns(geometry.runs, geometry.gridWidth * geometry.gridHeight);
  const mask = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const gy = Math.min(geometry.gridHeight - 1, Math.floor(((y + 0.5) * geometry.gridHeight) / height));
    for (let x = 0; x < width; x++) {
      const gx = Math.min(geometry.gridWidth - 1, Math.floor(((x + 0.5) * geometry.gridWidth) / width));
      mask[y * width + x] = grid[gy * geometry.gridWidth + gx]! ? 1 : 0;
    }
  }
  return mask;
}
