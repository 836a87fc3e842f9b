import { describe, expect, test } from "vitest";
import { camAgreement, hotMask, maskIou, sampleOnGrid } from "../mask-agreement";
import type { GreyImage } from "../raster";

const image = (width: number, height: number, values: number[]): GreyImage => ({
  width,
  height,
  data: Uint8Array.from(values),
});

describe("hotMask", () => {
  test("value / 255 at or above the threshold is hot, including exactly at it", () => {
    const cam = image(4, 1, [0, 127, 128, 255]);
    expect(Array.from(hotMask(cam, 0.5))).toEqual([0, 0, 255, 255]); // ceil(127.5) = 128
    expect(Array.from(hotMask(cam, 0))).toEqual([255, 255, 255, 255]);
    expect(Array.from(hotMask(cam, 1))).toEqual([0, 0, 0, 255]);
    expect(Array.from(hotMask(image(1, 1, [51]), 0.2))).toEqual([255]); // 0.2 * 255 = 51 exactly
  });

  test("refuses thresholds outside [0, 1]", () => {
    expect(() => hotMask(image(1, 1, [0]), 1.5)).toThrow(RangeError);
    expect(() => hotMask(image(1, 1, [0]), Number.NaN)).toThrow(RangeError);
  });
});

describe("maskIou", () => {
  test("counts intersection over union", () => {
    expect(maskIou(Uint8Array.from([1, 1, 0, 0]), Uint8Array.from([0, 1, 1, 0]))).toBeCloseTo(1 / 3, 12);
    expect(maskIou(Uint8Array.from([1, 1]), Uint8Array.from([1, 1]))).toBe(1);
    expect(maskIou(Uint8Array.from([1, 0]), Uint8Array.from([0, 1]))).toBe(0);
  });

  test("two empty masks give 0, not NaN", () => {
    expect(maskIou(new Uint8Array(3), new Uint8Array(3))).toBe(0);
  });

  test("skips pixels outside `valid`", () => {
    expect(maskIou(Uint8Array.from([1, 1, 1]), Uint8Array.from([1, 0, 0]), Uint8Array.from([1, 0, 0]))).toBe(1);
  });

  test("refuses masks of different sizes", () => {
    expect(() => maskIou(new Uint8Array(2), new Uint8Array(3))).toThrow(RangeError);
  });
});

describe("camAgreement", () => {
  // 4 x 2 grid: the CAM is hot on the left half; cluster 1 is the left half, cluster 0 the right
  // half except one pixel that belongs to cluster 2; the segmentation is the top row.
  const cam = image(4, 2, [255, 200, 0, 0, 255, 200, 0, 0]);
  const labels = image(4, 2, [1, 1, 0, 0, 1, 1, 0, 2]);
  const segmentation = image(4, 2, [255, 255, 255, 255, 0, 0, 0, 0]);

  test("IoU of the hot region with each cluster and with the segmentation", () => {
    const result = camAgreement(cam, labels, 3, segmentation, { threshold: 0.5 });
    expect(result.comparedPixels).toBe(8);
    expect(result.hotFraction).toBe(0.5);
    expect(result.clusters.map((c) => c.iou)).toEqual([0, 1, 0]);
    expect(result.clusters.map((c) => c.hotShare)).toEqual([0, 1, 0]);
    expect(result.bestClusterId).toBe(1);
    // hot = 4 left pixels, segmentation = top row (4): intersection 2, union 6.
    expect(result.segmentationIou).toBeCloseTo(2 / 6, 12);
  });

  test("the threshold moves the hot region", () => {
    const result = camAgreement(cam, labels, 3, segmentation, { threshold: 0.9 });
    expect(result.hotFraction).toBe(0.25);
    expect(result.clusters[1]!.iou).toBe(0.5);
    expect(result.segmentationIou).toBeCloseTo(1 / 5, 12);
  });

  test("no hot pixels: every IoU is 0 and no best cluster", () => {
    const cold = image(4, 2, [0, 0, 0, 0, 0, 0, 0, 0]);
    const result = camAgreement(cold, labels, 3, null);
    expect(result.bestClusterId).toBeNull();
    expect(result.segmentationIou).toBeNull();
    expect(result.clusters.every((c) => c.iou === 0 && c.hotShare === 0)).toBe(true);
  });

  test("only valid pixels are compared", () => {
    const valid = Uint8Array.from([1, 1, 1, 1, 0, 0, 0, 0]);
    const result = camAgreement(cam, labels, 3, segmentation, { valid });
    expect(result.comparedPixels).toBe(4);
    expect(result.segmentationIou).toBeCloseTo(0.5, 12);
  });

  test("refuses mismatched maps and labels >= k", () => {
    expect(() => camAgreement(cam, image(2, 1, [0, 0]), 3, null)).toThrow(RangeError);
    expect(() => camAgreement(cam, labels, 2, null)).toThrow(RangeError);
  });
});

describe("sampleOnGrid", () => {
  test("a map covering a centre crop lands in the middle of the grid; the rest is not covered", () => {
    const map = image(2, 2, [10, 20, 30, 40]);
    const { image: out, covered } = sampleOnGrid(
      map,
      { x: 1, y: 1, width: 2, height: 2 },
      { x: 0, y: 0, width: 4, height: 4 },
      4,
      4,
    );
    expect(Array.from(out.data)).toEqual([0, 0, 0, 0, 0, 10, 20, 0, 0, 30, 40, 0, 0, 0, 0, 0]);
    expect(Array.from(covered)).toEqual([0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0]);
  });

  test("nearest-neighbour upsampling of a whole-image map", () => {
    const map = image(2, 1, [1, 2]);
    const whole = { x: 0, y: 0, width: 100, height: 50 };
    const { image: out, covered } = sampleOnGrid(map, whole, whole, 4, 2);
    expect(Array.from(out.data)).toEqual([1, 1, 2, 2, 1, 1, 2, 2]);
    expect(covered.every((v) => v === 1)).toBe(true);
  });
});
