import { describe, expect, test } from "vitest";
import type { GreyImage } from "../../analysis/raster";
import { gaussianBlur, gaussianBlurFloat, gaussianKernel } from "../gaussian-blur";
import {
  DEFAULT_OBJECT_PARAMS,
  objectSegmentationParamsSchema,
  resolveObjectParams,
  segmentObjects,
} from "../segment-objects";

type Disc = [cx: number, cy: number, r: number];

/** Discs of grey `fg` on `bg`. */
function discs(width: number, height: number, list: Disc[], fg = 200, bg = 40): GreyImage {
  const data = new Uint8Array(width * height).fill(bg);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (list.some(([cx, cy, r]) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r)) data[y * width + x] = fg;
    }
  }
  return { width, height, data };
}

/** An ellipse with semi-axes a (along x) and b, on `bg`. */
function ellipse(width: number, height: number, cx: number, cy: number, a: number, b: number): GreyImage {
  const data = new Uint8Array(width * height).fill(30);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) if (((x - cx) / a) ** 2 + ((y - cy) / b) ** 2 <= 1) data[y * width + x] = 220;
  }
  return { width, height, data };
}

describe("gaussianBlur", () => {
  test("kernel: radius ceil(3 sigma), sums to 1, symmetric; sigma 0 is the identity", () => {
    const k = gaussianKernel(1.5);
    expect(k).toHaveLength(2 * 5 + 1);
    expect(k.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(k[0]).toBeCloseTo(k[10]!, 7);
    expect([...gaussianKernel(0)]).toEqual([1]);
    expect(() => gaussianKernel(-1)).toThrow(RangeError);
    expect(() => gaussianKernel(NaN)).toThrow(RangeError);
  });

  test("keeps a constant image constant (mirrored borders), also when the kernel is wider than it", () => {
    const flat = new Uint8Array(5 * 3).fill(77);
    expect([...gaussianBlur(flat, 5, 3, 2)]).toEqual([...flat]);
    for (const sigma of [0.5, 1, 2, 6]) {
      const white = new Uint8Array(40 * 30).fill(255); // rounding must not wrap past 255
      expect(gaussianBlur(white, 40, 30, sigma).every((v) => v === 255)).toBe(true);
    }
    expect([...gaussianBlurFloat(new Float64Array(6).fill(2.5), 6, 1, 1)].every((v) => Math.abs(v - 2.5) < 1e-5)).toBe(
      true,
    );
  });

  test("radii below 3 (sigma <= 2/3, as the live preview scales them) stay finite at every edge", () => {
    for (const sigma of [0.2, 0.5, 0.6]) {
      const out = gaussianBlurFloat(new Float64Array(10 * 10).fill(1), 10, 10, sigma);
      expect(out.every((v) => Math.abs(v - 1) < 1e-6)).toBe(true);
    }
    // A particle in the top-left corner once met NaN in its smoothed distance map and threw.
    const img = new Uint8Array(40 * 40).fill(20);
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) img[y * 40 + x] = 220;
    expect(segmentObjects({ width: 40, height: 40, data: img }, { smoothSigma: 0.25, distanceSigma: 0.2 }).count).toBe(
      1,
    );
  });

  test("spreads an impulse symmetrically and keeps its mass", () => {
    const img = new Uint8Array(21 * 21);
    img[10 * 21 + 10] = 255;
    const out = gaussianBlurFloat(Float64Array.from(img), 21, 21, 1);
    expect(out.reduce((a, b) => a + b, 0)).toBeCloseTo(255, 2);
    expect(out[10 * 21 + 9]).toBeCloseTo(out[10 * 21 + 11]!, 6);
    expect(out[9 * 21 + 10]).toBeCloseTo(out[10 * 21 + 9]!, 6);
  });
});

describe("segmentObjects", () => {
  test("separate discs: one object each, Otsu threshold between the two greys", () => {
    const img = discs(120, 80, [
      [20, 20, 8],
      [60, 20, 10],
      [100, 25, 6],
      [30, 60, 12],
      [90, 60, 9],
    ]);
    const r = segmentObjects(img);
    expect(r.count).toBe(5);
    expect(r.threshold).toBeGreaterThanOrEqual(40);
    expect(r.threshold).toBeLessThan(200);
    expect(r.polarity).toBe("bright");
    expect(r.params).toEqual(DEFAULT_OBJECT_PARAMS);
    expect(r.labels).toHaveLength(120 * 80);
    expect(Math.max(...r.labels)).toBe(5);
    expect(r.timingsMs.total).toBeGreaterThanOrEqual(0);
  });

  test("two touching discs: 2 objects with split, 1 without", () => {
    const img = discs(100, 60, [
      [35, 30, 15],
      [60, 30, 15],
    ]);
    expect(segmentObjects(img).count).toBe(2);
    expect(segmentObjects(img, { split: false }).count).toBe(1);
    // The split line runs between the centres: each centre in its own object.
    const r = segmentObjects(img);
    expect(r.labels[30 * 100 + 35]).not.toBe(r.labels[30 * 100 + 60]);
  });

  test("small touching discs are split too", () => {
    const touching = discs(60, 40, [
      [20, 20, 5],
      [30, 20, 5],
    ]);
    expect(segmentObjects(touching).count).toBe(2);
    const overlapping = discs(60, 40, [
      [20, 20, 7],
      [32, 20, 7],
    ]);
    expect(segmentObjects(overlapping).count).toBe(2);
  });

  test("an elongated ellipse stays one object (the textbook recipe over-splits it)", () => {
    const img = ellipse(160, 60, 80, 30, 60, 12);
    expect(segmentObjects(img).count).toBe(1);
  });

  test("polarity auto: objects are the clear minority phase, bright-on-dark and dark-on-bright", () => {
    const list: Disc[] = [
      [25, 25, 10],
      [75, 25, 10],
      [50, 60, 12],
    ];
    const bright = segmentObjects(discs(100, 80, list, 210, 50));
    const dark = segmentObjects(discs(100, 80, list, 50, 210));
    expect(bright.polarity).toBe("bright");
    expect(dark.polarity).toBe("dark");
    expect(bright.count).toBe(3);
    expect(dark.count).toBe(3);
    expect([...dark.labels]).toEqual([...bright.labels]);
    // Forcing the wrong polarity finds the background (one object around the discs).
    expect(segmentObjects(discs(100, 80, list, 50, 210), { polarity: "bright" }).count).toBe(1);
  });

  test("polarity auto on packed particles covering most of the field: the particles, not the gaps", () => {
    // A 7 x 6 grid of discs 1 px apart (r 8, centres 17 px apart: ~70 % of the field), each its own
    // grey (the specimen varies), on a uniform support, with a little noise.
    const width = 120;
    const height = 104;
    const list: Disc[] = [];
    for (let row = 0; row < 6; row++) for (let col = 0; col < 7; col++) list.push([9 + col * 17, 9 + row * 17, 8]);
    let seed = 7;
    const noise = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5) * 16;
    const scene = (particlesBright: boolean): GreyImage => {
      const data = new Uint8Array(width * height);
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const k = list.findIndex(([cx, cy, r]) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r);
          const particle = k < 0 ? null : 60 + ((k * 37) % 50);
          const v = particle === null ? 200 : particle;
          data[y * width + x] = Math.round((particlesBright ? 255 - v : v) + noise());
        }
      }
      return { width, height, data };
    };
    const dark = segmentObjects(scene(false));
    const bright = segmentObjects(scene(true));
    expect(dark.polarity).toBe("dark");
    expect(bright.polarity).toBe("bright");
    // The objects are the discs (every centre inside one); most found one by one (smoothing
    // closes some 1 px channels, merging neighbours).
    for (const [cx, cy] of list) expect(dark.labels[cy * width + cx]).toBeGreaterThan(0);
    expect(dark.count).toBeGreaterThanOrEqual(30);
    expect(dark.count).toBeLessThanOrEqual(42);
    // The minority phase is the gaps: few disc centres in its objects (only discs it encloses, as
    // holes it fills).
    const gaps = segmentObjects(scene(false), { polarity: "bright" });
    expect(list.filter(([cx, cy]) => gaps.labels[cy * width + cx]! > 0).length).toBeLessThan(list.length / 4);
  });

  test("empty and constant images: count 0, finite threshold, all-zero labels", () => {
    for (const value of [0, 128, 255]) {
      const r = segmentObjects({ width: 32, height: 16, data: new Uint8Array(32 * 16).fill(value) });
      expect(r.count).toBe(0);
      expect(Number.isFinite(r.threshold)).toBe(true);
      expect(r.labels.every((l) => l === 0)).toBe(true);
    }
    const noSplit = segmentObjects({ width: 4, height: 4, data: new Uint8Array(16) }, { split: false });
    expect(noSplit.count).toBe(0);
    // Everything foreground (no background pixel for the distance map): one object.
    const full = segmentObjects(
      { width: 20, height: 10, data: new Uint8Array(200).fill(100) },
      { polarity: "dark", threshold: { method: "manual", value: 255 } },
    );
    expect(full.count).toBe(1);
    expect(full.labels.every((l) => l === 1)).toBe(true);
  });

  test("manual threshold: the value is used as is", () => {
    // Two discs of grey 120 and 220 on 40: threshold 150 keeps only the brighter one.
    const img = discs(100, 50, [[25, 25, 10]], 120, 40);
    for (let y = 0; y < 50; y++) {
      for (let x = 0; x < 100; x++) if ((x - 75) ** 2 + (y - 25) ** 2 <= 100) img.data[y * 100 + x] = 220;
    }
    const r = segmentObjects(img, { threshold: { method: "manual", value: 150 }, polarity: "bright" });
    expect(r.threshold).toBe(150);
    expect(r.count).toBe(1);
    expect(r.labels[25 * 100 + 75]).toBe(1);
    expect(segmentObjects(img, { threshold: { method: "manual", value: 80 }, polarity: "bright" }).count).toBe(2);
  });

  test("size and border filters", () => {
    const img = discs(100, 50, [
      [0, 25, 8],
      [40, 25, 3],
      [75, 25, 10],
    ]);
    expect(segmentObjects(img).count).toBe(3);
    expect(segmentObjects(img, { excludeBorder: true }).count).toBe(2);
    expect(segmentObjects(img, { minArea: 50 }).count).toBe(2);
    expect(segmentObjects(img, { minArea: 50, maxArea: 200 }).count).toBe(1);
  });

  test("particles smaller than h keep their marker", () => {
    const img = discs(40, 40, [
      [10, 10, 1.5],
      [30, 30, 1.5],
    ]);
    expect(segmentObjects(img, { smoothSigma: 0, h: 5, minArea: 1 }).count).toBe(2);
  });

  test("params: defaults, versioning and clear refusals", () => {
    expect(resolveObjectParams({})).toEqual(DEFAULT_OBJECT_PARAMS);
    expect(objectSegmentationParamsSchema.safeParse(DEFAULT_OBJECT_PARAMS).success).toBe(true);
    const bad: [unknown, RegExp][] = [
      [{ h: 0 }, /h: h must be a finite number > 0/],
      [{ h: -1 }, /h must be/],
      [{ smoothSigma: -1 }, /smoothSigma must be >= 0/],
      [{ smoothSigma: NaN }, /smoothSigma/],
      [{ minArea: -3 }, /minArea must be/],
      [{ minArea: 10, maxArea: 5 }, /maxArea must be >= minArea/],
      [{ polarity: "up" }, /polarity must be "auto", "bright" or "dark"/],
      [{ threshold: { method: "manual", value: 300 } }, /threshold.value must be in \[0, 255\]/],
      [{ threshold: { method: "manual" } }, /threshold\.value/],
      [{ threshold: { method: "triangle" } }, /threshold.method must be "otsu" or "manual"/],
      [{ version: 2 }, /version must be 1/],
      [{ mergeRatio: 1 }, /mergeRatio must be in \[0, 1\)/],
      [{ split: "yes" }, /split must be true or false/],
      [{ unknownKey: 1 }, /unknownKey|unrecognized/i],
    ];
    for (const [params, message] of bad) {
      expect(() => resolveObjectParams(params), JSON.stringify(params)).toThrow(message);
    }
    expect(() => resolveObjectParams(null)).toThrow(RangeError);
    const img = discs(20, 20, [[10, 10, 4]]);
    expect(() => segmentObjects(img, { h: -2 })).toThrow(RangeError);
  });
});
