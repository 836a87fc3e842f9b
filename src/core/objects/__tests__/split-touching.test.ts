import { describe, expect, test } from "vitest";
import { distanceTransform } from "../distance-transform";
import { filterObjects } from "../filter-objects";
import { gaussianBlurFloat } from "../gaussian-blur";
import { hMaxima } from "../h-maxima";
import { labelComponents } from "../label-components";
import { mergeShallowBasins, splitTouching, type SplitParams } from "../split-touching";
import { watershed } from "../watershed";

/**
 * The split as one pass of each step over the whole image (the definition splitTouching must
 * equal): EDT, smoothed and rounded to 1/256 inside the mask, h-maxima, one marker per component
 * without any (at its highest pixel), flood of the components with several, merge.
 */
function wholeImageSplit(mask: Uint8Array, width: number, height: number, p: SplitParams): Int32Array {
  const n = width * height;
  const edt = distanceTransform(mask, width, height);
  const distance = new Float64Array(n);
  const smoothed = p.distanceSigma > 0 ? gaussianBlurFloat(edt, width, height, p.distanceSigma) : edt;
  for (let i = 0; i < n; i++)
    if (mask[i]) distance[i] = p.distanceSigma > 0 ? Math.round(smoothed[i]! * 256) / 256 : edt[i]!;
  const markers = hMaxima(distance, width, height, p.h);
  const components = labelComponents(mask, width, height, { connectivity: 8 });
  const markersOf = new Map<number, Set<number>>();
  const argmax = new Int32Array(components.count + 1).fill(-1);
  for (let i = 0; i < n; i++) {
    const c = components.labels[i]!;
    if (c === 0) continue;
    if (markers.labels[i]) (markersOf.get(c) ?? markersOf.set(c, new Set()).get(c)!).add(markers.labels[i]!);
    if (argmax[c]! < 0 || distance[i]! > distance[argmax[c]!]!) argmax[c] = i;
  }
  const seeds = new Int32Array(n);
  let next = markers.count;
  for (let c = 1; c <= components.count; c++) if (!markersOf.has(c)) seeds[argmax[c]!] = ++next;
  for (let i = 0; i < n; i++) if (components.labels[i] && markers.labels[i]) seeds[i] = markers.labels[i]!;
  const elevation = new Float64Array(n);
  for (let i = 0; i < n; i++) elevation[i] = -distance[i]!;
  const basins = watershed(elevation, seeds, width, height, { mask, connectivity: 8 });
  const pixels: number[] = [];
  for (let i = 0; i < n; i++) if (mask[i]) pixels.push(i);
  if (p.mergeRatio > 0) mergeShallowBasins(basins, Int32Array.from(pixels), edt, width, height, next, p.mergeRatio);
  return basins;
}

/** Random overlapping discs and ellipses, some touching the border, from a seeded LCG. */
function scene(width: number, height: number, count: number, seed: number): Uint8Array {
  let s = seed >>> 0;
  const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const mask = new Uint8Array(width * height);
  for (let k = 0; k < count; k++) {
    const cx = rand() * width;
    const cy = rand() * height;
    const a = 1 + rand() * 14;
    const b = a * (0.3 + 0.7 * rand());
    const t = rand() * Math.PI;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const u = ((x - cx) * Math.cos(t) + (y - cy) * Math.sin(t)) / a;
        const v = (-(x - cx) * Math.sin(t) + (y - cy) * Math.cos(t)) / b;
        if (u * u + v * v <= 1) mask[y * width + x] = 1;
      }
    }
  }
  return mask;
}

const NO_FILTER = { minArea: 0, maxArea: Infinity, excludeBorder: false };

describe("splitTouching, one component at a time", () => {
  const cases: [string, SplitParams][] = [
    ["defaults", { h: 1, distanceSigma: 0.7, mergeRatio: 0.1, ...NO_FILTER }],
    ["textbook (no smoothing, no merge, h 2)", { h: 2, distanceSigma: 0, mergeRatio: 0, ...NO_FILTER }],
    ["wide smoothing (radius > 3), strong merge", { h: 0.5, distanceSigma: 1.5, mergeRatio: 0.3, ...NO_FILTER }],
    [
      "size range and border filter",
      { h: 1, distanceSigma: 0.7, mergeRatio: 0.1, minArea: 30, maxArea: 400, excludeBorder: true },
    ],
  ];
  test.each(cases)("equals the whole-image split, then filterObjects: %s", (_name, p) => {
    for (const [width, height, count, seed] of [
      [120, 90, 40, 1],
      [64, 200, 60, 2],
      [7, 50, 6, 3],
      [150, 150, 200, 4],
    ] as const) {
      const mask = scene(width, height, count, seed);
      const got = splitTouching(mask, width, height, p, () => {});
      const want = filterObjects(wholeImageSplit(mask, width, height, p), width, height, {
        clearBorder: p.excludeBorder,
        minArea: p.minArea,
        maxArea: p.maxArea,
      });
      expect(got.count).toBe(want.count);
      expect(got.labels).toEqual(want.labels);
    }
  });

  test("components smaller than minArea are left out, the others kept whole or split", () => {
    const width = 40;
    const mask = new Uint8Array(width * 20);
    mask[2 * width + 2] = 1; // a 1-pixel component
    for (let y = 5; y < 15; y++) for (let x = 10; x < 20; x++) mask[y * width + x] = 1;
    const p = { h: 1, distanceSigma: 0.7, mergeRatio: 0.1, ...NO_FILTER, minArea: 2 };
    const { labels, count } = splitTouching(mask, width, 20, p, () => {});
    expect(labels[2 * width + 2]).toBe(0);
    expect(count).toBe(1);
    expect(labels[10 * width + 15]).toBe(1);
  });

  test("an image without foreground gives count 0 and all zeros", () => {
    const p = { h: 1, distanceSigma: 0.7, mergeRatio: 0.1, ...NO_FILTER };
    expect(splitTouching(new Uint8Array(12), 4, 3, p, () => {})).toEqual({ labels: new Int32Array(12), count: 0 });
  });
});
