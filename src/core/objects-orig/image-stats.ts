/**
 * Per-image statistics from per-object records (areas, equivalent diameters, centroids), all in
 * pixels; units are applied elsewhere.
 *
 * Definitions:
 * - count: the number of objects; density = count / analysedArea (objects per px^2);
 *   coverage = sum of object areas / analysedArea.
 * - Size distribution of the equivalent diameter: mean, median, d10 / d50 / d90 as numpy's
 *   default ("linear") percentiles, and a histogram (numpy.histogram semantics: equal-width bins
 *   over [min, max], each bin half-open except the last, which includes max).
 * - Nearest-neighbour distance: for each object, the Euclidean distance from its centroid to the
 *   closest other centroid; we report the mean. Found with a uniform grid (expected O(n)).
 * - Clark-Evans ratio R = mean NN / (0.5 / sqrt(density)): about 1 for a random (Poisson)
 *   pattern, < 1 clustered, > 1 regular (up to 2.15 for a hexagonal lattice). No edge correction.
 * - With no objects, count, density and coverage are 0 and every other value is null; with one
 *   object the nearest-neighbour values are null.
 */

/** The fields of an object record that the image statistics read. */
export type ObjectRecordForStats = {
  /** Area, px. */
  area: number;
  /** Diameter of the disc with the same area, px. */
  equivalentDiameter: number;
  /** Centroid [row, col], px. */
  centroid: readonly [number, number];
};

/** Options of {@link imageStats}. */
export type ImageStatsOptions = {
  /**
   * Area analysed, px^2 (the image minus excluded regions, e.g. a scale bar).
   * @default width * height
   */
  analysedArea?: number;
  /**
   * Histogram bins of the equivalent diameter: a bin count, or ascending edges (as numpy's
   * `bins` argument), or "auto" (numpy's "auto": the smaller of the Sturges and
   * Freedman-Diaconis bin widths).
   * @default "auto"
   */
  bins?: number | readonly number[] | "auto";
};

/** Result of {@link imageStats}. */
export type ImageStats = {
  count: number;
  /** Objects per px^2 of analysed area. */
  density: number;
  /** Foreground area / analysed area. */
  coverage: number;
  meanArea: number | null;
  meanDiameter: number | null;
  medianDiameter: number | null;
  d10: number | null;
  d50: number | null;
  d90: number | null;
  /** Histogram of equivalent diameters; null without objects. */
  histogram: { edges: number[]; counts: number[] } | null;
  /** Mean nearest-neighbour distance, px; null with fewer than two objects. */
  meanNearestNeighbour: number | null;
  /** Clark-Evans ratio; null with fewer than two objects. */
  clarkEvans: number | null;
};

/** The fields of {@link ImageStats} that an image without objects has no value for: all null. */
export const NO_OBJECT_STATS: Readonly<{
  [K in Exclude<keyof ImageStats, "count" | "density" | "coverage">]: null;
}> = Object.freeze({
  meanArea: null,
  meanDiameter: null,
  medianDiameter: null,
  d10: null,
  d50: null,
  d90: null,
  histogram: null,
  meanNearestNeighbour: null,
  clarkEvans: null,
});

/** numpy.percentile(values, p) (linear), on values sorted ascending; p in [0, 100]. */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError("percentile of an empty set");
  const virtual = (n - 1) * (p / 100);
  const lo = Math.floor(virtual);
  const hi = Math.min(lo + 1, n - 1);
  const gamma = virtual - lo;
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  const diff = b - a;
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

/** Histogram with numpy.histogram's edges and bin rules. */
export function histogramOf(
  sorted: Float64Array,
  bins: number | readonly number[] | "auto",
): { edges: number[]; counts: number[] } {
  let edges: number[];
  if (typeof bins === "number" || bins === "auto") {
    let lo = sorted[0]!;
    let hi = sorted[sorted.length - 1]!;
    if (lo === hi) {
      lo -= 0.5;
      hi += 0.5;
    }
    let k: number;
    if (bins === "auto") {
      const n = sorted.length;
      const sturges = (hi - lo) / (Math.log2(n) + 1);
      const iqr = percentileSorted(sorted, 75) - percentileSorted(sorted, 25);
      const fd = (2 * iqr) / Math.cbrt(n);
      const width = fd > 0 ? Math.min(fd, sturges) : sturges;
      k = Math.max(1, Math.ceil((hi - lo) / width));
    } else {
      if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
      k = bins;
    }
    edges = [];
    // numpy.linspace(lo, hi, k + 1): i * step + lo, last edge exactly hi.
    const step = (hi - lo) / k;
    for (let i = 0; i <= k; i++) edges.push(i === k ? hi : i * step + lo);
  } else {
    if (bins.length < 2) throw new RangeError("bin edges need at least two values");
    for (let i = 1; i < bins.length; i++) {
      if (!(bins[i]! > bins[i - 1]!)) throw new RangeError("bin edges must increase");
    }
    edges = [...bins];
  }
  const k = edges.length - 1;
  const counts = new Array<number>(k).fill(0);
  const first = edges[0]!;
  const last = edges[k]!;
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i]!;
    if (v < first || v > last) continue;
    // Binary search: the last edge <= v; the top edge is included in the last bin.
    let a = 0;
    let b = k;
    while (b - a > 1) {
      const m = (a + b) >> 1;
      if (edges[m]! <= v) a = m;
      else b = m;
    }
    counts[a]!++;
  }
  return { edges, counts };
}

/** Mean distance from each point to its nearest other point; grid search, expected O(n). */
export function meanNearestNeighbour(rows: Float64Array, cols: Float64Array): number | null {
  const n = rows.length;
  if (n < 2) return null;
  let minR = Infinity;
  let maxR = -Infinity;
  let minC = Infinity;
  let maxC = -Infinity;
  for (let i = 0; i < n; i++) {
    minR = Math.min(minR, rows[i]!);
    maxR = Math.max(maxR, rows[i]!);
    minC = Math.min(minC, cols[i]!);
    maxC = Math.max(maxC, cols[i]!);
  }
  const spanR = maxR - minR;
  const spanC = maxC - minC;
  // About two points per cell.
  let cell = Math.sqrt((Math.max(spanR, 1e-9) * Math.max(spanC, 1e-9) * 2) / n);
  if (!(cell > 0) || !Number.isFinite(cell)) cell = 1;
  cell = Math.max(cell, Math.max(spanR, spanC) / 4096, 1e-9);
  const gr = Math.floor(spanR / cell) + 1;
  const gc = Math.floor(spanC / cell) + 1;
  const cellOf = new Int32Array(n);
  const start = new Int32Array(gr * gc + 1);
  for (let i = 0; i < n; i++) {
    const c = Math.floor((rows[i]! - minR) / cell) * gc + Math.floor((cols[i]! - minC) / cell);
    cellOf[i] = c;
    start[c + 1]!++;
  }
  for (let c = 0; c < gr * gc; c++) start[c + 1]! += start[c]!;
  const order = new Int32Array(n);
  const fill = start.slice(0, gr * gc);
  for (let i = 0; i < n; i++) order[fill[cellOf[i]!]!++] = i;

  let sum = 0;
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    const c = cols[i]!;
    const cr = Math.floor((r - minR) / cell);
    const cc = Math.floor((c - minC) / cell);
    let best = Infinity;
    // Grow square rings of cells until the ring is farther than the best distance found.
    for (let ring = 0; ; ring++) {
      if (ring > 0 && (ring - 1) * cell >= Math.sqrt(best)) break;
      if (ring > gr && ring > gc) break;
      for (let y = cr - ring; y <= cr + ring; y++) {
        if (y < 0 || y >= gr) continue;
        const onEdgeRow = y === cr - ring || y === cr + ring;
        for (let x = cc - ring; x <= cc + ring; x += onEdgeRow ? 1 : 2 * ring) {
          if (x >= 0 && x < gc) {
            const cellIndex = y * gc + x;
            for (let k = start[cellIndex]!; k < start[cellIndex + 1]!; k++) {
              const j = order[k]!;
              if (j === i) continue;
              const dr = rows[j]! - r;
              const dc = cols[j]! - c;
              const d2 = dr * dr + dc * dc;
              if (d2 < best) best = d2;
            }
          }
          if (ring === 0) break;
        }
      }
    }
    sum += Math.sqrt(best);
  }
  return sum / n;
}

/** Image-level statistics of a set of objects; see the module comment for the definitions. */
export function imageStats(
  objects: readonly ObjectRecordForStats[],
  width: number,
  height: number,
  options: ImageStatsOptions = {},
): ImageStats {
  if (!Number.isInteger(width) || width <= 0 || !Number.isInteger(height) || height <= 0) {
    throw new RangeError(`image dimensions must be positive integers, got ${width} x ${height}`);
  }
  const analysedArea = options.analysedArea ?? width * height;
  if (!(analysedArea > 0) || !Number.isFinite(analysedArea)) {
    throw new RangeError(`analysedArea must be positive, got ${analysedArea}`);
  }
  const n = objects.length;
  let areaSum = 0;
  const diameters = new Float64Array(n);
  const rows = new Float64Array(n);
  const cols = new Float64Array(n);
  let diameterSum = 0;
  for (let i = 0; i < n; i++) {
    const o = objects[i]!;
    areaSum += o.area;
    diameters[i] = o.equivalentDiameter;
    diameterSum += o.equivalentDiameter;
    rows[i] = o.centroid[0];
    cols[i] = o.centroid[1];
  }
  const density = n / analysedArea;
  const coverage = areaSum / analysedArea;
  if (n === 0) {
    return { count: 0, density, coverage, ...NO_OBJECT_STATS };
  }
  const sorted = diameters.slice().sort();
  const d50 = percentileSorted(sorted, 50);
  const meanNN = meanNearestNeighbour(rows, cols);
  return {
    count: n,
    density,
    coverage,
    meanArea: areaSum / n,
    meanDiameter: diameterSum / n,
    medianDiameter: d50,
    d10: percentileSorted(sorted, 10),
    d50,
    d90: percentileSorted(sorted, 90),
    histogram: histogramOf(sorted, options.bins ?? "auto"),
    meanNearestNeighbour: meanNN,
    clarkEvans: meanNN === null ? null : meanNN / (0.5 / Math.sqrt(density)),
  };
}
