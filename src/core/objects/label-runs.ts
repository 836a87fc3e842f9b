/**
 * Horizontal runs of equal non-zero labels of a label map, in raster order: the one scan of the
 * whole image that regionProps and the perimeter need; everything after it visits object pixels
 * only (objects cover a fraction of a micrograph).
 */

/** Runs of a label map. Run k covers pixels start[k] .. end[k] - 1 of row row[k], all label[k]. */
export type LabelRuns = {
  count: number;
  row: Int32Array;
  start: Int32Array;
  /** Exclusive. */
  end: Int32Array;
  label: Int32Array;
  /** Largest label (0 when the map is empty). */
  maxLabel: number;
};

/**
 * The runs of rows [y0, y1) of `labels` (row-major, `width` wide); throws RangeError on a negative
 * label. Threads scan bands; {@link concatRuns} joins them in order.
 */
export function labelRunsOfRows(labels: Int32Array, width: number, y0: number, y1: number): LabelRuns {
  let capacity = 1024;
  let row: Int32Array = new Int32Array(capacity);
  let start: Int32Array = new Int32Array(capacity);
  let end: Int32Array = new Int32Array(capacity);
  let label: Int32Array = new Int32Array(capacity);
  let count = 0;
  let maxLabel = 0;
  for (let r = y0; r < y1; r++) {
    const rowStart = r * width;
    const rowEnd = rowStart + width;
    let i = rowStart;
    for (;;) {
      i = nextObjectPixel(labels, i, rowEnd);
      if (i === rowEnd) break;
      const l = labels[i]!;
      if (l < 0) throw new RangeError(`labels must be ≥ 0, got ${l} at index ${i}`);
      const e = endOfRun(labels, i, rowEnd);
      if (count === capacity) {
        capacity *= 2;
        row = grown(row, capacity);
        start = grown(start, capacity);
        end = grown(end, capacity);
        label = grown(label, capacity);
      }
      row[count] = r;
      start[count] = i - rowStart;
      end[count] = e - rowStart;
      label[count] = l;
      count++;
      if (l > maxLabel) maxLabel = l;
      i = e;
    }
  }
  return { count, row, start, end, label, maxLabel };
}

/** The first index in [i, rowEnd) whose label is not 0, or rowEnd. */
function nextObjectPixel(labels: Int32Array, i: number, rowEnd: number): number {
  while (i < rowEnd && labels[i] === 0) i++;
  return i;
}

/** End (exclusive) of the run of equal labels that starts at `i`, within a row ending at `rowEnd`. */
function endOfRun(labels: Int32Array, i: number, rowEnd: number): number {
  const l = labels[i];
  let e = i + 1;
  while (e < rowEnd && labels[e] === l) e++;
  return e;
}

function grown(a: Int32Array, capacity: number): Int32Array {
  const b = new Int32Array(capacity);
  b.set(a);
  return b;
}

/** The runs of consecutive bands, in band order: the runs of the union. */
export function concatRuns(bands: LabelRuns[]): LabelRuns {
  const count = bands.reduce((sum, band) => sum + band.count, 0);
  const out: LabelRuns = {
    count,
    row: new Int32Array(count),
    start: new Int32Array(count),
    end: new Int32Array(count),
    label: new Int32Array(count),
    maxLabel: bands.reduce((max, band) => Math.max(max, band.maxLabel), 0),
  };
  let at = 0;
  for (const band of bands) {
    for (const key of ["row", "start", "end", "label"] as const) out[key].set(band[key].subarray(0, band.count), at);
    at += band.count;
  }
  return out;
}
