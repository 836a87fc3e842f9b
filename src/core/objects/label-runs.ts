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

/** The runs of `labels` (width x height, row-major); throws RangeError on a negative label. */
export function labelRuns(labels: Int32Array, width: number, height: number): LabelRuns {
  let capacity = 1024;
  let row: Int32Array = new Int32Array(capacity);
  let start: Int32Array = new Int32Array(capacity);
  let end: Int32Array = new Int32Array(capacity);
  let label: Int32Array = new Int32Array(capacity);
  let count = 0;
  let maxLabel = 0;
  for (let r = 0; r < height; r++) {
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
