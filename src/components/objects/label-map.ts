/**
 * The label map of an object set: an RGBA PNG with label = R + 256 G + 65536 B (alpha 255 on
 * objects, 0 on background), decoded once per URL. Outlines, per-object masks and hit tests work
 * on the decoded Int32Array.
 */
import { cachedLoad } from "~/components/canvas/cached-load";
import { fetchPngPixels } from "~/components/canvas/map-pixels";

export type LabelMap = { width: number; height: number; labels: Int32Array };

export const loadLabelMap: (url: string) => Promise<LabelMap> = cachedLoad(fetchLabelMap);

async function fetchLabelMap(url: string): Promise<LabelMap> {
  const { width, height, rgba } = await fetchPngPixels(url, "the label map");
  return decodeLabelRgba(rgba, width, height);
}

/** RGBA bytes -> labels (transparent pixels are background). */
export function decodeLabelRgba(rgba: ArrayLike<number>, width: number, height: number): LabelMap {
  const labels = new Int32Array(width * height);
  for (let i = 0; i < labels.length; i++) {
    const o = i * 4;
    labels[i] = rgba[o + 3] === 0 ? 0 : rgba[o]! + 256 * rgba[o + 1]! + 65536 * rgba[o + 2]!;
  }
  return { width, height, labels };
}

/**
 * Outline pixels (an object pixel with a 4-neighbour of another label or the edge), coloured per
 * label by `colorOf` (RGBA bytes, or null for no outline); everything else transparent.
 */
export function outlineRgba(map: LabelMap, colorOf: (label: number) => readonly number[] | null): Uint8ClampedArray {
  const { width, height, labels } = map;
  const out = new Uint8ClampedArray(width * height * 4);
  const cache = new Map<number, readonly number[] | null>();
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const label = labels[i]!;
      if (label === 0) continue;
      const edge =
        x === 0 ||
        y === 0 ||
        x === width - 1 ||
        y === height - 1 ||
        labels[i - 1] !== label ||
        labels[i + 1] !== label ||
        labels[i - width] !== label ||
        labels[i + width] !== label;
      if (!edge) continue;
      let color = cache.get(label);
      if (color === undefined) {
        color = colorOf(label);
        cache.set(label, color);
      }
      if (!color) continue;
      out.set(color, i * 4);
    }
  }
  return out;
}

/** One object's pixels as a 0/255 mask on the label map's grid. */
export function objectMask(map: LabelMap, label: number): Uint8Array {
  const mask = new Uint8Array(map.labels.length);
  for (let i = 0; i < mask.length; i++) if (map.labels[i] === label) mask[i] = 255;
  return mask;
}

/**
 * The RGBA fill of one object (for the highlight) over its box [minRow, minCol, maxRow, maxCol)
 * only (a 4096² map stays cheap to highlight), transparent elsewhere in the box.
 */
export function objectFillRgba(
  map: LabelMap,
  label: number,
  bbox: readonly [number, number, number, number],
  color: readonly number[],
): Uint8ClampedArray {
  const [r0, c0, r1, c1] = bbox;
  const w = Math.max(0, c1 - c0);
  const out = new Uint8ClampedArray(w * Math.max(0, r1 - r0) * 4);
  for (let y = r0; y < r1; y++)
    for (let x = c0; x < c1; x++)
      if (map.labels[y * map.width + x] === label) out.set(color, ((y - r0) * w + x - c0) * 4);
  return out;
}

/** The label under an image point (image pixels of an image `imageWidth` x `imageHeight`), 0 for none. */
export function labelAt(
  map: LabelMap,
  image: { width: number; height: number },
  point: { x: number; y: number },
): number {
  const mx = Math.floor((point.x / image.width) * map.width);
  const my = Math.floor((point.y / image.height) * map.height);
  if (mx < 0 || my < 0 || mx >= map.width || my >= map.height) return 0;
  return map.labels[my * map.width + mx]!;
}
