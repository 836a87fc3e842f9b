import { labelComponents, assertPlane } from "./label-components";

/**
 * scipy.ndimage.binary_fill_holes with its default structure: background pixels that are not
 * 4-connected to the image border through background become foreground. Any non-zero byte of
 * `mask` is foreground; the result is a new 0/1 mask.
 *
 * Holes are found as the 4-connected components of the background that touch no image edge.
 */
export function fillHoles(mask: Uint8Array, width: number, height: number): Uint8Array {
  assertPlane(mask.length, width, height, "mask");
  const n = mask.length;
  const background = new Uint8Array(n);
  for (let i = 0; i < n; i++) background[i] = mask[i] === 0 ? 1 : 0;
  const { labels, count } = labelComponents(background, width, height, { connectivity: 4 });
  const open = new Uint8Array(count + 1); // background components that reach the border
  open[0] = 1;
  const last = (height - 1) * width;
  for (let x = 0; x < width; x++) {
    open[labels[x]!] = 1;
    open[labels[last + x]!] = 1;
  }
  for (let y = 0; y < height; y++) {
    open[labels[y * width]!] = 1;
    open[labels[y * width + width - 1]!] = 1;
  }
  const out = new Uint8Array(n);
  // Foreground pixels carry label 0 in `labels`; they are kept by the first test.
  for (let i = 0; i < n; i++) out[i] = mask[i] !== 0 || open[labels[i]!] === 0 ? 1 : 0;
  return out;
}
