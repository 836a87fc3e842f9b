import { assertPlane, findRuns } from "./label-components";

/**
 * scipy.ndimage.binary_fill_holes with its default structure: background pixels that are not
 * 4-connected to the image border through background become foreground. Any non-zero byte of
 * `mask` is foreground; the result is a new 0/1 mask.
 *
 * Holes are found as the 4-connected components of the background runs that touch no image edge;
 * only the runs of the other (open) components are painted 0.
 */
export function fillHoles(mask: Uint8Array, width: number, height: number): Uint8Array {
  assertPlane(mask.length, width, height, "mask");
  const { count, start, end, rowStart, root } = findRuns(mask, width, height, 4, true);
  const open = new Uint8Array(count); // by root: the component reaches the border
  for (let i = 0; i < count; i++) {
    const s = start[i]!;
    const e = end[i]!;
    // First or last column: the row of a run is that of its first pixel.
    if (s % width === 0 || e % width === 0) open[root[i]!] = 1;
  }
  for (let i = 0; i < rowStart[1]!; i++) open[root[i]!] = 1;
  for (let i = rowStart[height - 1]!; i < count; i++) open[root[i]!] = 1;
  const out = new Uint8Array(mask.length).fill(1);
  for (let i = 0; i < count; i++) if (open[root[i]!] !== 0) out.fill(0, start[i], end[i]);
  return out;
}
