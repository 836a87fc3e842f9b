/**
 * COCO run-length encoding: runs over the pixels in column-major (Fortran) order, starting with
 * background. Uncompressed RLE is `{ counts: number[], size: [height, width] }`; pycocotools also
 * writes a compressed string form, which imports decode here.
 */

import { alternatingRuns } from "./region-geometry";

export type CocoRle = { counts: number[]; size: [number, number] };

/** A row-major 0/non-zero mask as uncompressed COCO RLE. */
export function maskToCocoRle(mask: Uint8Array, width: number, height: number): CocoRle {
  // Cell i in column-major order is pixel (x = floor(i / height), y = i % height).
  const counts = alternatingRuns(width * height, (i) => mask[(i % height) * width + Math.floor(i / height)]! !== 0);
  return { counts, size: [height, width] };
}

/** COCO RLE counts as a row-major 0/1 mask; RangeError when the counts do not cover the grid. */
export function cocoRleToMask(counts: readonly number[], width: number, height: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  let at = 0;
  let inside = false;
  for (const run of counts) {
    if (!Number.isInteger(run) || run < 0 || at + run > width * height)
      throw new RangeError("RLE counts exceed the image");
    if (inside) {
      for (let i = at; i < at + run; i++) {
        const x = Math.floor(i / height);
        const y = i % height;
        mask[y * width + x] = 1;
      }
    }
    at += run;
    inside = !inside;
  }
  if (at !== width * height) throw new RangeError("RLE counts do not cover the image");
  return mask;
}

/** pycocotools' compressed counts string (rleFrString) as numbers. */
export function decodeCompressedCounts(text: string): number[] {
  const counts: number[] = [];
  let p = 0;
  while (p < text.length) {
    let x = 0;
    let k = 0;
    let more = true;
    while (more) {
      if (p >= text.length) throw new RangeError("Truncated compressed RLE");
      const c = text.charCodeAt(p) - 48;
      x |= (c & 0x1f) << (5 * k);
      more = (c & 0x20) !== 0;
      p++;
      k++;
      if (!more && c & 0x10) x |= -1 << (5 * k);
    }
    if (counts.length > 2) x += counts[counts.length - 2]!;
    counts.push(x);
  }
  return counts;
}

/**
 * Uncompressed counts as pycocotools' compressed string (rleToString, the inverse of
 * decodeCompressedCounts): each count after the second is stored as the difference to the count
 * two before, in 5-bit groups with a continuation bit, sign-extended, offset by 48.
 */
export function encodeCompressedCounts(counts: readonly number[]): string {
  const chars: number[] = [];
  for (let i = 0; i < counts.length; i++) {
    let x = counts[i]!;
    if (i > 2) x -= counts[i - 2]!;
    let more = true;
    while (more) {
      let c = x & 0x1f;
      // Floor division keeps the C arithmetic shift of a 64-bit long for counts beyond 32 bits.
      x = Math.floor(x / 32);
      more = c & 0x10 ? x !== -1 : x !== 0;
      if (more) c |= 0x20;
      chars.push(c + 48);
    }
  }
  let text = "";
  // In slices: spreading a very long array into one call would overflow the stack.
  for (let at = 0; at < chars.length; at += 8192) text += String.fromCharCode(...chars.slice(at, at + 8192));
  return text;
}
