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
 * Horizontal runs of a mask's foreground pixels (non-zero bytes), or of its background pixels (zero
 * bytes), with their connected components.
 */
export type Runs = {
  /** Number of runs. */
  count: number;
  /** Pixel index (y * width + x) of each run's first pixel; runs are in raster order. */
  start: Int32Array;
  /** Pixel index one past each run's last pixel. */
  end: Int32Array;
  /** The runs of row y are rowStart[y] .. rowStart[y + 1] - 1 (length height + 1). */
  rowStart: Int32Array;
  /**
   * Each run's component, named by its earliest run: roots are in raster order of their component's
   * first pixel, and root[i] <= i.
   */
  root: Int32Array;
};

/**
 * The runs of `mask` (of its zero bytes when `background`) and their connected components.
 *
 * Linear time: runs that touch runs of the previous row are merged with a union-find whose root is
 * always the earliest run, so a final pass in run order resolves every root.
 */
export function findRuns(
  mask: Uint8Array,
  width: number,
  height: number,
  connectivity: Connectivity,
  background = false,
): Runs {
  // Two runs on consecutive rows touch when they overlap, widened by one pixel for corners.
  const reach = connectivity === 8 ? 1 : 0;
  let capacity = Math.max(64, Math.ceil(mask.length / 64));
  let start: Int32Array = new Int32Array(capacity);
  let end: Int32Array = new Int32Array(capacity);
  let parent: Int32Array = new Int32Array(capacity);
  let count = 0;
  const rowStart = new Int32Array(height + 1);
  for (let y = 0, row = 0; y < height; y++, row += width) {
    const first = count;
    rowStart[y] = first;
    const rowEnd = row + width;
    let p = row;
    for (;;) {
      if (background) while (p < rowEnd && mask[p] !== 0) p++;
      else while (p < rowEnd && mask[p] === 0) p++;
      if (p === rowEnd) break;
      const s = p++;
      if (background) while (p < rowEnd && mask[p] === 0) p++;
      else while (p < rowEnd && mask[p] !== 0) p++;
      if (count === capacity) {
        capacity *= 2;
        start = grow(start, capacity);
        end = grow(end, capacity);
        parent = grow(parent, capacity);
      }
      start[count] = s;
      end[count] = p;
      parent[count] = count;
      count++;
    }
    if (y === 0) continue;
    // Merge with the previous row's runs (two pointers over runs sorted by x); a run of the
    // previous row touches [lo, hi) when its end > lo and its start < hi (pixel indices one row up).
    let k = rowStart[y - 1]!;
    for (let j = first; j < count; j++) {
      const lo = start[j]! - width - reach;
      const hi = end[j]! - width + reach;
      while (k < first && end[k]! <= lo) k++;
      for (let m = k; m < first && start[m]! < hi; m++) {
        let a = j;
        while (parent[a]! !== a) a = parent[a] = parent[parent[a]!]!; // path halving
        let b = m;
        while (parent[b]! !== b) b = parent[b] = parent[parent[b]!]!;
        if (a < b) parent[b] = a;
        else if (b < a) parent[a] = b;
      }
    }
  }
  rowStart[height] = count;
  // parent[i] < i unless i is a root, and earlier runs are resolved first.
  for (let i = 0; i < count; i++) parent[i] = parent[parent[i]!]!;
  return { count, start, end, rowStart, root: parent };
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
  const runs = findRuns(mask, width, height, connectivity);
  const { start, end, root } = runs;
  // Roots are numbered in raster order of their first pixel and are met before their members.
  const runLabel = new Int32Array(runs.count);
  let count = 0;
  for (let i = 0; i < runs.count; i++) {
    const r = root[i]!;
    runLabel[i] = r === i ? ++count : runLabel[r]!;
  }
  const labels = new Int32Array(mask.length);
  for (let i = 0; i < runs.count; i++) labels.fill(runLabel[i]!, start[i], end[i]);
  return { labels, count };
}

function grow(a: Int32Array, capacity: number): Int32Array {
  const b = new Int32Array(capacity);
  b.set(a);
  return b;
}
