import { describe, expect, it } from "vitest";
import { niceBelow, pictureScaleBar, scaleBarFor } from "../scale-bar-length";

describe("the scale-bar rule", () => {
  it("picks the largest 1-2-5 number not above x", () => {
    expect([7, 5, 4.99, 19, 0.03, 1, 2.5e-7].map(niceBelow)).toEqual([5, 5, 2, 10, 0.02, 1, 2e-7]);
  });

  it("takes 10-25 % of the view in a 1-2-5 length, in the best unit", () => {
    for (const value of [0.0003, 0.05, 1.7, 42]) {
      for (const scale of [0.05, 1, 9]) {
        for (const width of [64, 300, 1311]) {
          const bar = scaleBarFor({ value, unit: "µm" }, scale, width)!;
          expect(bar.screenPx / width).toBeGreaterThanOrEqual(0.1 - 1e-9);
          expect(bar.screenPx / width).toBeLessThanOrEqual(0.25 + 1e-9);
          expect(String(bar.value).replace(/[.0]/g, "")).toMatch(/^[125]$/);
          expect(bar.text).toBe(`${bar.value} ${bar.unit}`);
        }
      }
    }
    expect(scaleBarFor({ value: 0.1, unit: "µm" }, 1, 800)).toMatchObject({ value: 20, unit: "µm", text: "20 µm" });
    expect(scaleBarFor({ value: 0.5, unit: "nm" }, 1, 8000)).toMatchObject({ value: 1, unit: "µm", screenPx: 2000 });
  });

  it("is null without a sensible view or pixel size", () => {
    expect(scaleBarFor({ value: 1, unit: "µm" }, 1, 0)).toBeNull();
    expect(scaleBarFor({ value: 0, unit: "µm" }, 1, 100)).toBeNull();
    expect(scaleBarFor({ value: 1, unit: "µm" }, Number.NaN, 100)).toBeNull();
  });
});

describe("pictureScaleBar", () => {
  it("measures on the picture's own grid (pixel size scaled by original / picture width)", () => {
    // 2048 original pixels of 0.1 µm (204.8 µm) shown 512 pixels wide: 0.4 µm a picture pixel;
    // 25 % of 512 px is 51.2 µm, so 50 µm = 125 px.
    expect(pictureScaleBar({ value: 0.1, unit: "µm" }, 2048, 512)).toEqual({
      lengthPx: 125,
      text: "50 µm",
      value: 50,
      unit: "µm",
    });
    // Same picture at full resolution: the same 50 µm, 500 px.
    expect(pictureScaleBar({ value: 0.1, unit: "µm" }, 2048, 2048)).toMatchObject({ lengthPx: 500, text: "50 µm" });
  });

  it("stays within 10-25 % of the picture width", () => {
    for (const [covered, width] of [
      [1000, 100],
      [4096, 333],
      [640, 640],
    ] as const) {
      const bar = pictureScaleBar({ value: 3.3, unit: "nm" }, covered, width)!;
      expect(bar.lengthPx / width).toBeGreaterThanOrEqual(0.1 - 0.5 / width);
      expect(bar.lengthPx / width).toBeLessThanOrEqual(0.25 + 0.5 / width);
    }
  });

  it("is null for a picture too narrow for a bar", () => {
    expect(pictureScaleBar({ value: 1, unit: "µm" }, 100, 4)).toBeNull();
    expect(pictureScaleBar({ value: 1, unit: "µm" }, 0, 100)).toBeNull();
  });
});
