/**
 * A COCO annotation's geometry as region geometries, checked against the image it belongs to
 * before anything is allocated for it: polygons, boxes and our own `visual_ccc.geometry` must lie
 * on the image; an RLE mask's `size` must be the image's [height, width] and its counts must add
 * up to height x width (summed from the counts, before any grid exists). A mask of an image
 * larger than the region grid limit is downsampled while its runs are decoded (each grid cell
 * takes the pixel at its centre), so the largest buffer is the grid (at most 4096 x 4096 bytes),
 * never the image. Problems throw RegionGeometryError with a readable reason (the import skips
 * the annotation and reports the reason).
 */
import {
  parseRegionGeometry,
  REGION_GEOMETRY_VERSION,
  RegionGeometryError,
  type RegionGeometry,
} from "~/core/regions/region-geometry";
import { decodeCompressedCounts } from "~/core/regions/coco-rle";
import { COCO_IMPORT_LIMITS } from "./coco-import-limits";

export type ImageSize = { width: number; height: number };

export type CocoRleInput = { counts: readonly number[] | string; size: readonly [number, number] };

export type CocoAnnotationGeometryInput = {
  segmentation?: readonly (readonly number[])[] | CocoRleInput;
  bbox?: readonly [number, number, number, number];
  visual_ccc?: { geometry?: unknown };
};

/** How far (pixels) a vertex or box edge may lie outside the image (rounding of other tools). */
const EDGE_TOLERANCE = 1;

function onImage(x: number, y: number, image: ImageSize, pad = EDGE_TOLERANCE): boolean {
  return x >= -pad && y >= -pad && x <= image.width + pad && y <= image.height + pad;
}

function assertGeometryOnImage(geometry: RegionGeometry, image: ImageSize): void {
  switch (geometry.kind) {
    case "polygon":
      if (!geometry.points.every(([x, y]) => onImage(x, y, image)))
        throw new RegionGeometryError(`A polygon lies outside its ${image.width} x ${image.height} image`);
      return;
    case "rectangle":
      if (
        !onImage(geometry.x, geometry.y, image) ||
        !onImage(geometry.x + geometry.width, geometry.y + geometry.height, image)
      )
        throw new RegionGeometryError(`A box lies outside its ${image.width} x ${image.height} image`);
      return;
    case "brush":
      for (const stroke of geometry.strokes)
        if (!stroke.points.every(([x, y]) => onImage(x, y, image, EDGE_TOLERANCE + stroke.size)))
          throw new RegionGeometryError(`A brush stroke lies outside its ${image.width} x ${image.height} image`);
      return;
    case "mask":
      return; // a mask grid is stretched over the whole image; its size is limited by the schema
  }
}

/** The grid a mask of this image is stored on: the image itself, or scaled down to the grid limit. */
export function maskGridFor(image: ImageSize, maxSide: number = COCO_IMPORT_LIMITS.maxMaskSide): ImageSize {
  const longest = Math.max(image.width, image.height);
  if (longest <= maxSide) return { width: image.width, height: image.height };
  const scale = maxSide / longest;
  return {
    width: Math.min(maxSide, Math.max(1, Math.round(image.width * scale))),
    height: Math.min(maxSide, Math.max(1, Math.round(image.height * scale))),
  };
}

/**
 * Checks COCO RLE counts against an image before anything is decoded: the right number of
 * pixels, non-negative integers, not too many runs. Returns the counts as numbers.
 */
export function checkedRleCounts(rle: CocoRleInput, image: ImageSize): readonly number[] {
  const [height, width] = rle.size;
  if (width !== image.width || height !== image.height)
    throw new RegionGeometryError(
      `An RLE mask of ${width} x ${height} pixels does not fit its ${image.width} x ${image.height} image`,
    );
  if (typeof rle.counts === "string" && rle.counts.length > COCO_IMPORT_LIMITS.maxRleCounts)
    throw new RegionGeometryError(`An RLE mask has more than ${COCO_IMPORT_LIMITS.maxRleCounts} runs`);
  let counts: readonly number[];
  try {
    counts = typeof rle.counts === "string" ? decodeCompressedCounts(rle.counts) : rle.counts;
  } catch (error) {
    throw new RegionGeometryError(error instanceof Error ? error.message : "Invalid compressed RLE");
  }
  if (counts.length > COCO_IMPORT_LIMITS.maxRleCounts)
    throw new RegionGeometryError(`An RLE mask has more than ${COCO_IMPORT_LIMITS.maxRleCounts} runs`);
  const pixels = width * height;
  let sum = 0;
  for (const run of counts) {
    if (!Number.isSafeInteger(run) || run < 0) throw new RegionGeometryError("RLE counts must be whole numbers ≥ 0");
    sum += run;
    if (sum > pixels) break;
  }
  if (sum !== pixels)
    throw new RegionGeometryError(
      `RLE counts cover ${sum > pixels ? "more" : "fewer"} pixels than the ${width} x ${height} image`,
    );
  return counts;
}

/**
 * Column-major COCO RLE counts (already checked: they cover width x height exactly) as a
 * row-major 0/1 mask on `grid`. When the grid is the image this is exact; when it is smaller,
 * each cell takes the pixel at its centre. Work is proportional to the runs, the image's columns
 * and the grid cells set, never to the image's pixels.
 */
export function decodeRleOnGrid(counts: readonly number[], image: ImageSize, grid: ImageSize): Uint8Array {
  const { width, height } = image;
  const mask = new Uint8Array(grid.width * grid.height);
  // The image column / row each grid column / row samples (its centre).
  const columnCell = new Int32Array(width).fill(-1);
  for (let gx = 0; gx < grid.width; gx++) columnCell[Math.floor(((gx + 0.5) * width) / grid.width)] = gx;
  const sampledRow = new Int32Array(grid.height);
  for (let gy = 0; gy < grid.height; gy++) sampledRow[gy] = Math.floor(((gy + 0.5) * height) / grid.height);
  // First grid row whose sampled image row is at or below row y (grid.height when none).
  const firstCellAtOrBelow = new Int32Array(height + 1);
  for (let y = height, gy = grid.height; y >= 0; y--) {
    while (gy > 0 && sampledRow[gy - 1]! >= y) gy--;
    firstCellAtOrBelow[y] = gy;
  }

  let at = 0;
  let inside = false;
  for (const run of counts) {
    if (inside && run > 0) {
      const end = at + run; // exclusive
      for (let x = Math.floor(at / height); x * height < end; x++) {
        const gx = columnCell[x]!;
        if (gx < 0) continue;
        const top = Math.max(at, x * height) - x * height;
        const bottom = Math.min(end, (x + 1) * height) - x * height; // exclusive
        for (let gy = firstCellAtOrBelow[top]!; gy < grid.height && sampledRow[gy]! < bottom; gy++) {
          mask[gy * grid.width + gx] = 1;
        }
      }
    }
    at += run;
    inside = !inside;
  }
  return mask;
}

/** Row-major runs of a 0/1 mask (as encodeMaskRuns), in one tight pass over the grid. */
function maskRuns(mask: Uint8Array): number[] {
  const runs: number[] = [];
  let inside = 0;
  let start = 0;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] !== inside) {
      runs.push(i - start);
      start = i;
      inside = mask[i]!;
    }
  }
  runs.push(mask.length - start);
  return runs;
}

/** An RLE segmentation as a mask region on the image (or on the grid limit, downsampled). */
export function cocoRleToMaskGeometry(rle: CocoRleInput, image: ImageSize): RegionGeometry {
  const counts = checkedRleCounts(rle, image);
  const grid = maskGridFor(image);
  const mask = decodeRleOnGrid(counts, image, grid);
  return parseRegionGeometry({
    schemaVersion: REGION_GEOMETRY_VERSION,
    kind: "mask",
    gridWidth: grid.width,
    gridHeight: grid.height,
    runs: maskRuns(mask),
  });
}

/** The region geometries of one annotation on `image` (several for a multi-polygon segmentation). */
export function cocoAnnotationGeometries(annotation: CocoAnnotationGeometryInput, image: ImageSize): RegionGeometry[] {
  if (annotation.visual_ccc?.geometry !== undefined) {
    const geometry = parseRegionGeometry(annotation.visual_ccc.geometry);
    assertGeometryOnImage(geometry, image);
    return [geometry];
  }
  const segmentation = annotation.segmentation;
  if (Array.isArray(segmentation) && segmentation.length > 0) {
    const polygons = segmentation as readonly (readonly number[])[];
    if (polygons.length > COCO_IMPORT_LIMITS.maxPolygonsPerAnnotation)
      throw new RegionGeometryError(
        `An annotation has more than ${COCO_IMPORT_LIMITS.maxPolygonsPerAnnotation} polygons`,
      );
    return polygons.map((flat) => {
      if (flat.length > 2 * COCO_IMPORT_LIMITS.maxPolygonPoints)
        throw new RegionGeometryError(`A polygon has more than ${COCO_IMPORT_LIMITS.maxPolygonPoints} points`);
      const points: [number, number][] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) points.push([flat[i]!, flat[i + 1]!]);
      const geometry = parseRegionGeometry({ schemaVersion: REGION_GEOMETRY_VERSION, kind: "polygon", points });
      assertGeometryOnImage(geometry, image);
      return geometry;
    });
  }
  if (segmentation && !Array.isArray(segmentation)) return [cocoRleToMaskGeometry(segmentation as CocoRleInput, image)];
  if (annotation.bbox) {
    const [x, y, width, height] = annotation.bbox;
    const geometry = parseRegionGeometry({
      schemaVersion: REGION_GEOMETRY_VERSION,
      kind: "rectangle",
      x,
      y,
      width,
      height,
    });
    assertGeometryOnImage(geometry, image);
    return [geometry];
  }
  throw new RegionGeometryError("The annotation has no segmentation, bbox or geometry");
}
