import { assertDimensions } from "../analysis/raster";

/** Pixel adjacency: 4 = edge neighbours only, 8 = edge and corner neighbours. */
export type Connectivity = 4 | 8;

/** A label map and the number of objects in it. */
export type LabeledComponents = {
  /** Row-major, width * height: 0 = background, 1..count = objects. */
  labels: Int32Array;
  /** Number of objects (the largest label). */
  count: number;
};

/** Options of {@link labelComponents}. */
export type LabelComponentsOptions = {
  /**
   * Adjacency of foreground pixels: 8 is skimage.measure.label's `connectivity=2` (its default for
   * 2-D images), 4 is `connectivity=1`.
   * @default 8
   */
  connectivity?: Connectivity;
};

/** Throws RangeError unless `width` x `height` is a valid size and `length` matches it. */
export function assertPlane(length: number, width: number, height: number, what: string): void {
  assertDimensions(width, height);
  if (length !== width * height) {
    throw new RangeError(`${what} has ${length} pixels, expected ${width} x ${height} = ${width * height}`);
  }
}

export function assertConnectivity(connectivity: number): asserts connectivity is Connectivity {
  if (connectivity !== 4 && connectivity !== 8) {
    throw new RangeError(`connectivity must be 4 or 8, got ${String(connectivity)}`);
  }
}

/**
 * Connected components of a binary mask (any non-zero byte is foreground), numbered like
 * skimage.measure.label: labels 1..count in raster order of each component's first pixel.
 *
 * Linear time: the mask is cut into horizontal runs, runs that touch runs of the previous row are
 * merged with a union-find whose root is always the earliest run, and the runs are painted.
 */
export function labelComponents(
  mask: Uint8Array,
  width: number,
  height: number,
  options: LabelComponentsOptions = {},
): LabeledComponents {
  assertPlane(mask.length, width, height, "mask");
  const connectivity = options.connectivity ?? 8;
  assertConnectivity(connectivity);
  // Two runs on consecutive rows touch when they overlap, widened by one pixel for corners.
  const reach = connectivity === 8 ? 1 : 0;

  let capacity = Math.max(64, Math.ceil(mask.length / 16));
  let runStart: Int32Array = new Int32Array(capacity);
  let runEnd: Int32Array = new Int32Array(capacity); // inclusive
  let parent: Int32Array = new Int32Array(capacity);
  let runs = 0;

  const find = (i: number): number => {
    let r = i;
    while (parent[r]! !== r) {
      const g = parent[parent[r]!]!;
      parent[r] = g; // path halving
      r = g;
    }
    return r;
  };

  const rowFirstRun = new Int32Array(height + 1);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const first = runs;
    rowFirstRun[y] = first;
    let x = 0;
    while (x < width) {
      while (x < width && mask[row + x] === 0) x++;
      if (x >= width) break;
      const s = x;
      while (x < width && mask[row + x] !== 0) x++;
      if (runs === capacity) {
        capacity *= 2;
        runStart = grow(runStart, capacity);
        runEnd = grow(runEnd, capacity);
        parent = grow(parent, capacity);
      }
      runStart[runs] = s;
      runEnd[runs] = x - 1;
      parent[runs] = runs;
      runs++;
    }
    if (y === 0) continue;
    // Merge with the previous row's runs (two pointers over runs sorted by x).
    const prevEnd = first;
    let k = rowFirstRun[y - 1]!;
    for (let j = first; j < runs; j++) {
      const lo = runStart[j]! - reach;
      const hi = runEnd[j]! + reach;
      while (k < prevEnd && runEnd[k]! < lo) k++;
      for (let m = k; m < prevEnd && runStart[m]! <= hi; m++) {
        const a = find(j);
        const b = find(m);
        if (a < b) parent[b] = a;
        else if (b < a) parent[a] = b;
      }
    }
  }
  rowFirstRun[height] = runs;

  // Runs are in raster order and a root is the earliest run of its tree, so roots are numbered in
  // raster order of their first pixel and are met before their members.
  const runLabel = new Int32Array(runs);
  let count = 0;
  for (let i = 0; i < runs; i++) {
    const r = find(i);
    runLabel[i] = r === i ? ++count : runLabel[r]!;
  }
  const labels = new Int32Array(mask.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let i = rowFirstRun[y]!, end = rowFirstRun[y + 1]!; i < end; i++) {
      labels.fill(runLabel[i]!, row + runStart[i]!, row + runEnd[i]! + 1);
    }
  }
  return { labels, count };
}

function grow(a: Int32Array, capacity: number): Int32Array {
  const b = new Int32Array(capacity);
  b.set(a);
  return b;
}
