import { assertPlane, type LabeledComponents } from "./label-components";

/** Options of {@link filterObjects}. */
export type FilterObjectsOptions = {
  /**
   * Remove every object with a pixel on the image's outer row or column
   * (skimage.segmentation.clear_border with buffer_size 0).
   * @default true
   */
  clearBorder?: boolean;
  /**
   * Smallest kept area, in pixels (inclusive).
   * @default 0
   */
  minArea?: number;
  /**
   * Largest kept area, in pixels (inclusive).
   * @default Infinity
   */
  maxArea?: number;
};

/**
 * Drops objects that touch the image border and objects whose pixel count is outside
 * [minArea, maxArea], then renumbers the survivors 1..count in raster order of their first pixel.
 *
 * An object is a label value, wherever its pixels are. skimage's clear_border instead relabels the
 * image with 8-connectivity first and only clears the connected piece that touches the border; the
 * two agree whenever each label is 8-connected, as for labelComponents and watershed output.
 *
 * @param labels Label map: 0 = background, positive values = objects (need not be consecutive).
 */
export function filterObjects(
  labels: Int32Array,
  width: number,
  height: number,
  options: FilterObjectsOptions = {},
): LabeledComponents {
  assertPlane(labels.length, width, height, "labels");
  const clearBorder = options.clearBorder ?? true;
  const minArea = options.minArea ?? 0;
  const maxArea = options.maxArea ?? Infinity;
  if (Number.isNaN(minArea) || Number.isNaN(maxArea) || minArea < 0 || maxArea < minArea) {
    throw new RangeError(`need 0 <= minArea <= maxArea, got [${minArea}, ${maxArea}]`);
  }
  const n = labels.length;
  // Areas by label, in one pass that also finds the largest label.
  let area: Int32Array = new Int32Array(1024);
  let maxLabel = 0;
  for (let i = 0; i < n; i++) {
    const l = labels[i]!;
    if (l > maxLabel) {
      maxLabel = l;
      if (l >= area.length) {
        const bigger = new Int32Array(Math.max(l + 1, area.length * 2));
        bigger.set(area);
        area = bigger;
      }
    } else if (l < 0) throw new RangeError(`labels must not be negative, got ${l} at pixel ${i}`);
    area[l]!++;
  }
  // 0 = not decided yet, -1 = dropped, k > 0 = new label.
  const map = new Int32Array(maxLabel + 1);
  map[0] = -1;
  for (let l = 1; l <= maxLabel; l++) if (area[l]! < minArea || area[l]! > maxArea) map[l] = -1;
  if (clearBorder) {
    const last = (height - 1) * width;
    for (let x = 0; x < width; x++) {
      map[labels[x]!] = -1;
      map[labels[last + x]!] = -1;
    }
    for (let y = 0; y < height; y++) {
      map[labels[y * width]!] = -1;
      map[labels[y * width + width - 1]!] = -1;
    }
  }
  const out = new Int32Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const l = labels[i]!;
    if (l === 0) continue;
    let m = map[l]!;
    if (m === -1) continue;
    if (m === 0) map[l] = m = ++count;
    out[i] = m;
  }
  return { labels: out, count };
}
