/**
 * One mask stored whole as uncompressed COCO RLE (SAM 2's masks, which may overlap, so no label
 * map holds them all) decoded within its box only, with a label lookup over the grid, so that
 * resampledObjectRle (label-coco-rle.ts) can write it at another size as it writes the objects of
 * a label map. Memory is the box, never the grid.
 */
import type { LabelAt } from "./label-coco-rle";

export type CocoRleBoxMask = {
  /** [minRow, minCol, maxRow, maxCol) on the grid. */
  box: [number, number, number, number];
  /** Row-major 0/1 over the box. */
  mask: Uint8Array;
  area: number;
};

/**
 * The pixels of `counts` (a `width` x `height` grid, column-major runs starting with background)
 * in their box; null for an empty mask. RangeError when the counts do not cover the grid exactly.
 */
export function cocoRleBoxMask(counts: readonly number[], width: number, height: number): CocoRleBoxMask | null {
  const total = width * height;
  let minRow = height;
  let minCol = width;
  let maxRow = -1;
  let maxCol = -1;
  let at = 0;
  for (let k = 0; k < counts.length; k++) {
    const run = counts[k]!;
    if (!Number.isInteger(run) || run < 0 || at + run > total) throw new RangeError("RLE counts exceed the grid");
    if (k % 2 === 1 && run > 0) {
      const first = at;
      const last = at + run - 1;
      const firstCol = Math.floor(first / height);
      const lastCol = Math.floor(last / height);
      if (firstCol < minCol) minCol = firstCol;
      if (lastCol > maxCol) maxCol = lastCol;
      // A run over a column's end covers that column's last row and the next one's first.
      const top = firstCol === lastCol ? first % height : 0;
      const bottom = firstCol === lastCol ? last % height : height - 1;
      if (top < minRow) minRow = top;
      if (bottom > maxRow) maxRow = bottom;
    }
    at += run;
  }
  if (at !== total) throw new RangeError("RLE counts do not cover the grid");
  if (maxRow < 0) return null;
  const boxWidth = maxCol - minCol + 1;
  const mask = new Uint8Array(boxWidth * (maxRow - minRow + 1));
  let area = 0;
  at = 0;
  for (let k = 0; k < counts.length; k++) {
    const run = counts[k]!;
    if (k % 2 === 1) {
      for (let i = at; i < at + run; i++) {
        const x = Math.floor(i / height);
        const y = i - x * height;
        mask[(y - minRow) * boxWidth + (x - minCol)] = 1;
      }
      area += run;
    }
    at += run;
  }
  return { box: [minRow, minCol, maxRow + 1, maxCol + 1], mask, area };
}

/** Label 1 inside the mask, 0 elsewhere, at row-major index `i` of a grid `width` wide. */
export function boxMaskLabelAt(object: CocoRleBoxMask, width: number): LabelAt {
  const [minRow, minCol, maxRow, maxCol] = object.box;
  const boxWidth = maxCol - minCol;
  return (i) => {
    const y = Math.floor(i / width);
    const x = i - y * width;
    if (y < minRow || y >= maxRow || x < minCol || x >= maxCol) return 0;
    return object.mask[(y - minRow) * boxWidth + (x - minCol)]!;
  };
}
