import { hullColSpans, hullOfSpans, hullRowSpans } from "./convex-hull";
import { feretDiameterMax, feretScratch } from "./feret";
import { ellipseFromMoments } from "./moments";
import { concatRuns, type LabelRuns } from "./label-runs";
import { objectPerimeter, PerimeterScratch } from "./perimeter";
import { parted, PLAIN_MEMORY, runStepsSerially, type PartedStep, type PlaneAllocator } from "./segmentation-steps";

/**
 * Descriptors of one labelled object, in pixels. Every name and definition is scikit-image 0.19's
 * `regionprops` one (row = axis 0, column = axis 1), except `circularity` and `aspect_ratio`.
 * Physical units are applied afterwards, once, by `toPhysical` (units.ts).
 */
export type RegionProps = {
  /** The label value (1..max). */
  label: number;
  /** Pixel count. */
  area: number;
  /**
   * skimage `perimeter` (neighbourhood 4): weighted count of the border pixels
   * (see perimeter.ts). A single pixel has perimeter 0, a 1×N line N − 2.
   */
  perimeter: number;
  /** Mean (row, col) of the object's pixels. */
  centroid: [row: number, col: number];
  /** [min_row, min_col, max_row, max_col), max exclusive, as skimage. */
  bbox: [minRow: number, minCol: number, maxRow: number, maxCol: number];
  /** √(4·area/π): diameter of the disc of the same area (skimage `equivalent_diameter_area`). */
  equivalent_diameter: number;
  /** 4·√λ1 of the inertia tensor (see moments.ts). */
  axis_major_length: number;
  /** 4·√λ2 of the inertia tensor. */
  axis_minor_length: number;
  /** √(1 − λ2/λ1); 0 when λ1 = 0 (a single pixel). */
  eccentricity: number;
  /**
   * Angle in radians, (−π/2, π/2], between the row axis (axis 0, pointing down) and the major
   * axis, skimage's convention and sign; ±π/4 when the tensor's diagonal is equal (a disc or
   * square gives π/4). Meaningless when `eccentricity` is ~0.
   */
  orientation: number;
  /**
   * Pixel count of skimage's convex hull image (`area_convex`, see convex-hull.ts);
   * null when `hull: false`.
   */
  area_convex: number | null;
  /** area / area_convex; null when `hull: false`. */
  solidity: number | null;
  /** area / bbox area. */
  extent: number;
  /** skimage 0.19 `feret_diameter_max` (see feret.ts); null when `hull: false`. */
  feret_diameter_max: number | null;
  /**
   * min(1, 4π·area / perimeter²), clamped to 1 as ImageJ does; null when the perimeter is 0
   * (objects of one or two pixels in a line, for which it is undefined).
   */
  circularity: number | null;
  /**
   * axis_major_length / axis_minor_length; null when the minor axis is 0 (a straight line or a
   * single pixel), so records stay JSON-safe (no Infinity).
   */
  aspect_ratio: number | null;
};

/** Options of {@link regionProps}. */
export type RegionPropsOptions = {
  /**
   * Compute the convex hull descriptors (`area_convex`, `solidity`, `feret_diameter_max`).
   * They are the only per-object work beyond the shared passes over the label map.
   * @default true
   */
  hull?: boolean;
};

/**
 * Descriptors of every object of a label map (Int32Array, row-major, 0 = background, objects
 * 1..n): one record per label present, in increasing label order, absent labels skipped.
 *
 * Cost, for a width×height map with k objects:
 * - five linear passes over the map, all objects together: one checks labels and finds the
 *   largest, one run-length pass accumulates area, bbox and exact integer moment sums per label
 *   (per run, not per pixel), one groups the runs by label (for the hull), and two find and weigh
 *   the border pixels (perimeter);
 * - per object, only on its own rows and columns: the convex hull from its run ends, its
 *   rasterisation row by row and column by column (O((rows + cols)·hull vertices)) and the Feret
 *   diameter (O(hull vertices²) on the hull of the contour extremes);
 * - memory: one byte per pixel (border flags), ~80 bytes per label value up to the largest label,
 *   12 bytes per run and a few scratch rows sized by the image: 100 000 objects are ~10 MB.
 *
 * Throws RangeError when the map's length is not width×height, when width or height is not a
 * non-negative integer, when a label is negative, or when the largest label exceeds the pixel
 * count (label maps must be compact enough to index per-label tables).
 */
export function regionProps(
  labels: Int32Array,
  width: number,
  height: number,
  options: RegionPropsOptions = {},
): RegionProps[] {
  return runStepsSerially(regionPropsSteps(labels, width, height, options, PLAIN_MEMORY));
}

/**
 * {@link regionProps} as steps a driver may run in parts (segmentation-steps.ts): the shared
 * passes over the map here, then one step whose parts each measure a range of labels.
 * `memory` holds the border flags the parts write (shared memory for threads, with `labels`).
 */
export function* regionPropsSteps(
  labels: Int32Array,
  width: number,
  height: number,
  options: RegionPropsOptions,
  memory: PlaneAllocator,
): Generator<PartedStep, RegionProps[], unknown[]> {
  assertLabelMap(labels, width, height);
  const runs = concatRuns(yield* parted("labelRunsRows", { labels, width, height }));
  const prepared = prepareRegionProps(labels, width, height, runs, options.hull ?? true, memory);
  if (prepared === null) return [];
  return (yield* parted("objectProps", prepared)).flat();
}

/** What every part of regionProps reads: the map, per-label sums and boxes, runs by label. */
export type PreparedRegionProps = {
  labels: Int32Array;
  width: number;
  height: number;
  hull: boolean;
  maxLabel: number;
  /** Per label (index = label): area, moment sums relative to origin, first pixel, box. */
  area: Float64Array;
  sr: Float64Array;
  sc: Float64Array;
  srr: Float64Array;
  scc: Float64Array;
  src: Float64Array;
  originRow: Int32Array;
  originCol: Int32Array;
  minRow: Int32Array;
  minCol: Int32Array;
  maxRow: Int32Array;
  maxCol: Int32Array;
  /** Runs of label l: runOffset[l] .. runOffset[l + 1] - 1, in raster order; ends inclusive. */
  runOffset: Int32Array;
  runRow: Int32Array;
  runStart: Int32Array;
  runEnd: Int32Array;
  /** Border flags (perimeter.ts), one byte per pixel, written by the parts. */
  border: Uint8Array;
};

function assertLabelMap(labels: Int32Array, width: number, height: number): void {
  if (!Number.isInteger(width) || width < 0 || !Number.isInteger(height) || height < 0) {
    throw new RangeError(`label map size must be non-negative integers, got ${width}×${height}`);
  }
  if (labels.length !== width * height) {
    throw new RangeError(`label map has ${labels.length} values, expected ${width}×${height} = ${width * height}`);
  }
}

function prepareRegionProps(
  labels: Int32Array,
  width: number,
  height: number,
  runs: LabelRuns,
  hull: boolean,
  memory: PlaneAllocator,
): PreparedRegionProps | null {
  const maxLabel = runs.maxLabel;
  if (maxLabel === 0) return null;
  if (maxLabel > labels.length) {
    throw new RangeError(`largest label ${maxLabel} exceeds the pixel count ${labels.length}; relabel first`);
  }

  const size = maxLabel + 1;
  // Per-label accumulators, indexed by label.
  const [area, sr, sc, srr, scc, src] = freshArrays(6, () => new Float64Array(size));
  const [originRow, originCol, minRow, minCol, maxRow, maxCol, runCount] = freshArrays(7, () => new Int32Array(size));

  // Per run: area, bbox and moment sums relative to the object's first pixel (exact integers:
  // Σx over a..b = (a + b)(b − a + 1)/2, Σx² = S(b) − S(a − 1) with S(n) = n(n+1)(2n+1)/6).
  for (let k = 0; k < runs.count; k++) {
    const l = runs.label[k]!;
    const r = runs.row[k]!;
    const c = runs.start[k]!;
    const last = runs.end[k]! - 1;
    if (area[l] === 0) {
      originRow[l] = r;
      originCol[l] = c;
      minRow[l] = r;
      minCol[l] = c;
      maxRow[l] = r;
      maxCol[l] = last;
    } else {
      if (c < minCol[l]!) minCol[l] = c;
      if (last > maxCol[l]!) maxCol[l] = last;
      maxRow[l] = r;
    }
    const len = last - c + 1;
    const dr = r - originRow[l]!;
    const a = c - originCol[l]!;
    const b = last - originCol[l]!;
    const sx = ((a + b) * len) / 2;
    const sxx = (b * (b + 1) * (2 * b + 1) - (a - 1) * a * (2 * a - 1)) / 6;
    area[l] = area[l]! + len;
    sr[l] = sr[l]! + dr * len;
    srr[l] = srr[l]! + dr * dr * len;
    sc[l] = sc[l]! + sx;
    scc[l] = scc[l]! + sxx;
    src[l] = src[l]! + dr * sx;
    runCount[l] = runCount[l]! + 1;
  }

  // Runs grouped by label, in raster order.
  const runOffset = new Int32Array(size + 1);
  for (let l = 0; l < size; l++) runOffset[l + 1] = runOffset[l]! + runCount[l]!;
  const runRow = new Int32Array(runs.count);
  const runStart = new Int32Array(runs.count);
  const runEnd = new Int32Array(runs.count);
  const fill = runOffset.slice(0, size);
  for (let j = 0; j < runs.count; j++) {
    const l = runs.label[j]!;
    const k = fill[l]!;
    runRow[k] = runs.row[j]!;
    runStart[k] = runs.start[j]!;
    runEnd[k] = runs.end[j]! - 1;
    fill[l] = k + 1;
  }
  const border = memory.bytes(labels.length);
  return {
    ...{ labels, width, height, hull, maxLabel, area, sr, sc, srr, scc, src },
    ...{ originRow, originCol, minRow, minCol, maxRow, maxCol, runOffset, runRow, runStart, runEnd, border },
  };
}

/** Labels [from, to) of part `part` of `parts`: contiguous, about the same number of pixels each. */
function labelRange(area: Float64Array, part: number, parts: number): [number, number] {
  let total = 0;
  for (let l = 1; l < area.length; l++) total += area[l]!;
  const startOf = (k: number) => {
    if (k === 0) return 1;
    if (k === parts) return area.length;
    const target = (total * k) / parts;
    let sum = 0;
    for (let l = 1; l < area.length; l++) {
      if (sum >= target) return l;
      sum += area[l]!;
    }
    return area.length;
  };
  return [startOf(part), startOf(part + 1)];
}

/** The records of the labels of part `part` of `parts` (see labelRange), in label order. */
export function objectPropsPart(prepared: PreparedRegionProps, part: number, parts: number): RegionProps[] {
  const { labels, width, height, hull, area, sr, sc, srr, scc, src, originRow, originCol } = prepared;
  const { minRow, minCol, maxRow, maxCol, runOffset, runRow, runStart, runEnd, border } = prepared;
  // Scratch buffers sized by the image, reused by every object.
  const rowL = new Int32Array(hull ? height : 0);
  const rowR = new Int32Array(hull ? height : 0);
  const spanCount = hull ? 2 * height + 1 : 0;
  const minX = new Int32Array(spanCount);
  const maxX = new Int32Array(spanCount);
  const hullBuf = new Int32Array(hull ? 4 * spanCount + 2 : 0);
  const rowLo = new Int32Array(hull ? height : 0);
  const rowHi = new Int32Array(hull ? height : 0);
  const colLo = new Int32Array(hull ? width : 0);
  const colHi = new Int32Array(hull ? width : 0);
  const feret = feretScratch(hull ? height : 0);
  const perimeterScratch = new PerimeterScratch();

  const out: RegionProps[] = [];
  const [from, to] = labelRange(area, part, parts);
  for (let l = from; l < to; l++) {
    const n = area[l]!;
    if (n === 0) continue;
    const r0 = minRow[l]!;
    const c0 = minCol[l]!;
    const rows = maxRow[l]! - r0 + 1;
    const cols = maxCol[l]! - c0 + 1;
    const ellipse = ellipseFromMoments({ n, sr: sr[l]!, sc: sc[l]!, srr: srr[l]!, scc: scc[l]!, src: src[l]! });

    let areaConvex: number | null = null;
    let feretMax: number | null = null;
    if (hull) {
      rowL.fill(2 ** 30, 0, rows);
      rowR.fill(-(2 ** 30), 0, rows);
      for (let k = runOffset[l]!; k < runOffset[l + 1]!; k++) {
        const i = runRow[k]! - r0;
        if (runStart[k]! < rowL[i]!) rowL[i] = runStart[k]!;
        if (runEnd[k]! > rowR[i]!) rowR[i] = runEnd[k]!;
      }
      // Mid-edge points of the first and last pixel of each row, in doubled coordinates: pixel row
      // r covers y = 2r − 1 (top), 2r (middle) and 2r + 1 (bottom); slot j holds y = 2·r0 − 1 + j.
      const count = 2 * rows + 1;
      minX.fill(2 ** 30, 0, count);
      maxX.fill(-(2 ** 30), 0, count);
      for (let k = 0; k < rows; k++) {
        const left = rowL[k]!;
        const right = rowR[k]!;
        if (left > right) continue;
        const j = 2 * k;
        if (2 * left < minX[j]!) minX[j] = 2 * left;
        if (2 * right > maxX[j]!) maxX[j] = 2 * right;
        minX[j + 1] = 2 * left - 1; // slot 2k + 1 (y = 2r) belongs to this row alone
        maxX[j + 1] = 2 * right + 1;
        minX[j + 2] = 2 * left;
        maxX[j + 2] = 2 * right;
      }
      const vertices = hullOfSpans(2 * r0 - 1, minX, maxX, count, hullBuf);
      areaConvex = hullRowSpans(hullBuf, vertices, r0, rows, rowLo, rowHi);
      hullColSpans(hullBuf, vertices, c0, cols, colLo, colHi);
      feretMax = feretDiameterMax(r0, rows, rowLo, rowHi, c0, cols, colLo, colHi, feret);
    }

    const p = objectPerimeter(
      labels,
      width,
      height,
      runRow,
      runStart,
      runEnd,
      runOffset[l]!,
      runOffset[l + 1]!,
      border,
      perimeterScratch,
    );
    out.push({
      label: l,
      area: n,
      perimeter: p,
      centroid: [originRow[l]! + sr[l]! / n, originCol[l]! + sc[l]! / n],
      bbox: [r0, c0, r0 + rows, c0 + cols],
      equivalent_diameter: Math.sqrt((4 * n) / Math.PI),
      axis_major_length: ellipse.axisMajorLength,
      axis_minor_length: ellipse.axisMinorLength,
      eccentricity: ellipse.eccentricity,
      orientation: ellipse.orientation,
      area_convex: areaConvex,
      solidity: areaConvex === null ? null : n / areaConvex,
      extent: n / (rows * cols),
      feret_diameter_max: feretMax,
      circularity: p > 0 ? Math.min(1, (4 * Math.PI * n) / (p * p)) : null,
      aspect_ratio: ellipse.axisMinorLength > 0 ? ellipse.axisMajorLength / ellipse.axisMinorLength : null,
    });
  }
  return out;
}

type Tuple<T, N extends number, Built extends T[] = []> = Built["length"] extends N
  ? Built
  : Tuple<T, N, [T, ...Built]>;

/** `count` new arrays from `make`, typed as a tuple so they can be destructured. */
function freshArrays<T, N extends number>(count: N, make: () => T): Tuple<T, N> {
  return Array.from({ length: count }, make) as Tuple<T, N>;
}
