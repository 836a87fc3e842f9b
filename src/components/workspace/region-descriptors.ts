/**
 * Shape descriptors of one drawn region (area, perimeter, equivalent diameter, max Feret,
 * circularity), computed in the browser with the same pure core the object measurements use:
 * the region is rasterised to a mask on a grid clipped to its bounding box (and to the image),
 * labelled as a single object (every inside pixel is label 1) and measured by `regionProps`.
 *
 * A pixel is inside when its centre is, as in core/regions/rasterize-region.ts (the COCO export)
 * and the canvas: brush strokes are round-capped lines of width `size`, erase strokes remove
 * paint, masks are sampled nearest-neighbour from their grid, polygons use the even-odd rule.
 *
 * Pure (no DOM); results are cached per geometry value: geometries are immutable, so a new value
 * is the only thing that needs a new measurement (a new "version" of the region).
 */
import { regionProps } from "~/core/objects/region-props";
import { readableLength, type LengthUnit, type PixelSize } from "~/core/objects/units";
import { rasterizeBrush } from "~/core/regions/rasterize-region";
import { decodeMaskRuns, geometryBounds, type Point, type RegionGeometry } from "~/core/regions/region-geometry";

/**
 * Longest side of the measurement raster. A region whose clipped bounding box is larger is
 * downsampled uniformly to fit (cells of 1/scale image pixels) and the results are scaled back:
 * areas by 1/scale², lengths by 1/scale. That keeps the work and memory bounded (~1 M cells) at
 * the price of approximate values for huge regions (the perimeter of a coarser outline, Feret and
 * area to within about a cell); `scale` < 1 in the result says so.
 */
export const MAX_DESCRIPTOR_RASTER_SIDE = 1024;

/** Descriptors of a region in image pixels (areas in px², lengths in px). */
export type RegionDescriptors = {
  area: number;
  perimeter: number;
  equivalentDiameter: number;
  /** Null only if regionProps could not compute it (it always does with the hull on). */
  feretMax: number | null;
  /** 4π·area / perimeter², clamped to 1; null when the perimeter is 0 (one or two pixels). */
  circularity: number | null;
  /** Raster cells per image pixel along each axis: 1 unless the region was downsampled. */
  scale: number;
};

type Size = { width: number; height: number };

const cache = new WeakMap<
  RegionGeometry,
  { width: number; height: number; maxSide: number; value: RegionDescriptors | null }
>();

/**
 * Descriptors of `geometry` on an image of `imageSize`, or null when no pixel of the image is
 * inside the region (entirely outside the image, thinner than a pixel centre, all erased).
 * Memoised per geometry value.
 */
export function regionDescriptors(
  geometry: RegionGeometry,
  imageSize: Size,
  maxSide: number = MAX_DESCRIPTOR_RASTER_SIDE,
): RegionDescriptors | null {
  const cached = cache.get(geometry);
  if (cached && cached.width === imageSize.width && cached.height === imageSize.height && cached.maxSide === maxSide) {
    return cached.value;
  }
  const value = measure(geometry, imageSize, maxSide);
  cache.set(geometry, { width: imageSize.width, height: imageSize.height, maxSide, value });
  return value;
}

function measure(geometry: RegionGeometry, imageSize: Size, maxSide: number): RegionDescriptors | null {
  const raster = rasterizeRegion(geometry, imageSize, maxSide);
  if (!raster) return null;
  const { mask, width, height, scale } = raster;
  const labels = new Int32Array(mask.length);
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) labels[i] = 1;
  const props = regionProps(labels, width, height)[0];
  if (!props) return null;
  const length = 1 / scale;
  const area = props.area * length * length;
  return {
    area,
    perimeter: props.perimeter * length,
    equivalentDiameter: Math.sqrt((4 * area) / Math.PI),
    feretMax: props.feret_diameter_max === null ? null : props.feret_diameter_max * length,
    circularity: props.circularity,
    scale,
  };
}

/**
 * The region as a 0 / 1 mask on a grid over its bounding box clipped to the image: cell (i, j)
 * is the image point (x0 + (i + 0.5) / scale, y0 + (j + 0.5) / scale). Null when the clipped box
 * is empty. Exported for tests.
 */
export function rasterizeRegion(
  geometry: RegionGeometry,
  imageSize: Size,
  maxSide: number = MAX_DESCRIPTOR_RASTER_SIDE,
): { mask: Uint8Array; width: number; height: number; x0: number; y0: number; scale: number } | null {
  const imageW = imageSize.width;
  const imageH = imageSize.height;
  if (!(imageW > 0) || !(imageH > 0)) return null;
  const bounds = geometry.kind === "mask" ? maskBounds(geometry, imageSize) : geometryBounds(geometry, imageSize);
  if (!bounds) return null;
  const x0 = Math.max(0, Math.floor(bounds.x));
  const y0 = Math.max(0, Math.floor(bounds.y));
  const x1 = Math.min(imageW, Math.ceil(bounds.x + bounds.width));
  const y1 = Math.min(imageH, Math.ceil(bounds.y + bounds.height));
  const w = x1 - x0;
  const h = y1 - y0;
  if (!(w > 0) || !(h > 0)) return null;
  const scale = Math.min(1, maxSide / Math.max(w, h));
  const width = Math.max(1, Math.ceil(w * scale));
  const height = Math.max(1, Math.ceil(h * scale));
  // Image point → grid coordinates (cell centres at half-integers).
  const toGrid = ([x, y]: Point): Point => [(x - x0) * scale, (y - y0) * scale];

  let mask: Uint8Array;
  switch (geometry.kind) {
    case "rectangle": {
      const { x, y } = geometry;
      const corners: Point[] = [
        [x, y],
        [x + geometry.width, y],
        [x + geometry.width, y + geometry.height],
        [x, y + geometry.height],
      ];
      mask = fillPolygon(corners.map(toGrid), width, height);
      break;
    }
    case "polygon":
      mask = fillPolygon(geometry.points.map(toGrid), width, height);
      break;
    case "brush":
      mask = rasterizeBrush(
        {
          ...geometry,
          strokes: geometry.strokes.map((stroke) => ({
            ...stroke,
            size: stroke.size * scale,
            points: stroke.points.map(toGrid),
          })),
        },
        width,
        height,
      );
      break;
    case "mask": {
      const grid = decodeMaskRuns(geometry.runs, geometry.gridWidth * geometry.gridHeight);
      mask = new Uint8Array(width * height);
      for (let j = 0; j < height; j++) {
        const py = y0 + (j + 0.5) / scale;
        const gy = Math.min(geometry.gridHeight - 1, Math.floor((py * geometry.gridHeight) / imageH));
        for (let i = 0; i < width; i++) {
          const px = x0 + (i + 0.5) / scale;
          const gx = Math.min(geometry.gridWidth - 1, Math.floor((px * geometry.gridWidth) / imageW));
          if (grid[gy * geometry.gridWidth + gx]) mask[j * width + i] = 1;
        }
      }
      break;
    }
  }
  // Rounding the grid up may add a last row / column whose centres lie outside the image.
  for (let j = 0; j < height; j++) {
    const outsideRow = y0 + (j + 0.5) / scale >= imageH;
    for (let i = 0; i < width; i++) {
      if (outsideRow || x0 + (i + 0.5) / scale >= imageW) mask[j * width + i] = 0;
    }
  }
  return { mask, width, height, x0, y0, scale };
}

/** Even-odd scanline fill at cell centres of a width×height grid (vertices in grid coordinates). */
function fillPolygon(points: readonly Point[], width: number, height: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  const crossings: number[] = [];
  for (let j = 0; j < height; j++) {
    const yc = j + 0.5;
    crossings.length = 0;
    for (let a = 0, b = points.length - 1; a < points.length; b = a++) {
      const [xa, ya] = points[a]!;
      const [xb, yb] = points[b]!;
      if (ya > yc !== yb > yc) crossings.push(xa + ((yc - ya) * (xb - xa)) / (yb - ya));
    }
    crossings.sort((p, q) => p - q);
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      // Cells whose centre i + 0.5 lies in [left, right).
      const from = Math.max(0, Math.ceil(crossings[k]! - 0.5));
      const to = Math.min(width, Math.ceil(crossings[k + 1]! - 0.5));
      if (to > from) mask.fill(1, j * width + from, j * width + to);
    }
  }
  return mask;
}

/** Image-pixel bounds of a mask region's foreground (its grid covers the whole image). */
function maskBounds(geometry: Extract<RegionGeometry, { kind: "mask" }>, imageSize: Size) {
  const { gridWidth, gridHeight } = geometry;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  let at = 0;
  let inside = false;
  for (const run of geometry.runs) {
    if (inside && run > 0) {
      const first = at;
      const last = at + run - 1;
      const r0 = Math.floor(first / gridWidth);
      const r1 = Math.floor(last / gridWidth);
      minY = Math.min(minY, r0);
      maxY = Math.max(maxY, r1);
      if (r0 === r1) {
        minX = Math.min(minX, first % gridWidth);
        maxX = Math.max(maxX, last % gridWidth);
      } else {
        minX = 0;
        maxX = gridWidth - 1;
      }
    }
    at += run;
    inside = !inside;
  }
  if (minX > maxX) return null;
  const sx = imageSize.width / gridWidth;
  const sy = imageSize.height / gridHeight;
  return { x: minX * sx, y: minY * sy, width: (maxX + 1 - minX) * sx, height: (maxY + 1 - minY) * sy };
}

/** A value with its unit, for display. */
export type Measure = { value: number; unit: string };

/** Descriptors in physical units; lengths share one unit per region, areas are in that unit². */
export type PhysicalDescriptors = {
  area: Measure;
  perimeter: Measure;
  equivalentDiameter: Measure;
  feretMax: Measure | null;
  unit: LengthUnit;
};

const NANOMETRES: Record<LengthUnit, number> = { nm: 1, µm: 1e3, mm: 1e6 };

/**
 * The descriptors in the image's pixel size unit (lengths × value, areas × value²), re-expressed
 * in the unit that reads best for the region's equivalent diameter (see `readableLength`), so a
 * region's numbers all share one unit. Null when the pixel size is missing or not positive.
 */
export function descriptorsInUnits(
  descriptors: RegionDescriptors,
  pixelSize: PixelSize | null | undefined,
): PhysicalDescriptors | null {
  if (!pixelSize || !(pixelSize.value > 0) || !(pixelSize.unit in NANOMETRES)) return null;
  const unit = readableLength(descriptors.equivalentDiameter * pixelSize.value, pixelSize.unit).unit;
  // Length of one image pixel in the chosen unit.
  const k = (pixelSize.value * NANOMETRES[pixelSize.unit]) / NANOMETRES[unit];
  const length = (px: number): Measure => ({ value: px * k, unit });
  return {
    area: { value: descriptors.area * k * k, unit: `${unit}²` },
    perimeter: length(descriptors.perimeter),
    equivalentDiameter: length(descriptors.equivalentDiameter),
    feretMax: descriptors.feretMax === null ? null : length(descriptors.feretMax),
    unit,
  };
}
