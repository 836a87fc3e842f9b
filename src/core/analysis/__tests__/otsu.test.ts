import { describe, expect, test } from "vitest";
import { greyHistogram } from "../histogram";
import { binarize, otsuThreshold, segmentOtsu } from "../otsu";

const hist = (entries: [number, number][]): Uint32Array => {
  const h = new Uint32Array(256);
  for (const [v, c] of entries) h[v] = c;
  return h;
};

describe("otsuThreshold (OpenCV THRESH_OTSU)", () => {
  test("two equal populations: the first maximising bin, i.e. the lower one", () => {
    // Every t in [50, 199] separates 50 from 200 equally well; OpenCV keeps the first (50).
    expect(
      otsuThreshold(
        hist([
          [50, 100],
          [200, 100],
        ]),
      ),
    ).toBe(50);
  });

  test("three levels", () => {
    expect(
      otsuThreshold(
        hist([
          [10, 100],
          [100, 100],
          [250, 100],
        ]),
      ),
    ).toBe(100);
    expect(
      otsuThreshold(
        hist([
          [10, 300],
          [100, 10],
          [250, 100],
        ]),
      ),
    ).toBe(100);
  });

  test("constant image: no division by zero, threshold 0", () => {
    expect(otsuThreshold(hist([[128, 1000]]))).toBe(0);
    expect(otsuThreshold(hist([[0, 10]]))).toBe(0);
    expect(otsuThreshold(new Uint32Array(256))).toBe(0);
    const seg = segmentOtsu({ width: 2, height: 2, data: new Uint8Array(4).fill(128) });
    expect(seg.threshold).toBe(0);
    expect(Array.from(seg.segmented.data)).toEqual([255, 255, 255, 255]);
  });

  test("needs 256 bins", () => {
    expect(() => otsuThreshold(new Uint32Array(10))).toThrow(RangeError);
  });
});

describe("segmentation", () => {
  test("pixels > t become 255", () => {
    expect(Array.from(binarize(Uint8Array.from([0, 99, 100, 101, 255]), 100))).toEqual([0, 0, 0, 255, 255]);
  });

  test("segmentOtsu on a small bimodal image", () => {
    const data = Uint8Array.from([10, 12, 200, 210, 11, 205]);
    const { threshold, segmented } = segmentOtsu({ width: 3, height: 2, data });
    expect(threshold).toBe(12);
    expect(Array.from(segmented.data)).toEqual([0, 0, 255, 255, 0, 255]);
    expect(greyHistogram(data)[10]).toBe(1);
  });
});
