import { describe, expect, it } from "vitest";
import { niceBelow, scaleBarFor } from "../scale-bar";

describe("niceBelow", () => {
  it("picks the largest 1-2-5 number not above x", () => {
    expect(niceBelow(7)).toBe(5);
    expect(niceBelow(5)).toBe(5);
    expect(niceBelow(4.99)).toBe(2);
    expect(niceBelow(19)).toBe(10);
    expect(niceBelow(0.03)).toBe(0.02);
    expect(niceBelow(1)).toBe(1);
  });
});

describe("scaleBarFor", () => {
  it("takes 10-25 % of the view at any zoom, in a 1-2-5 length", () => {
    for (const scale of [0.013, 0.1, 0.37, 1, 2.9, 17, 63]) {
      for (const width of [300, 800, 1311]) {
        const bar = scaleBarFor({ value: 0.05, unit: "µm" }, scale, width)!;
        expect(bar.screenPx / width).toBeGreaterThanOrEqual(0.1 - 1e-9);
        expect(bar.screenPx / width).toBeLessThanOrEqual(0.25 + 1e-9);
        expect([1, 2, 5]).toContain(Number(String(bar.value).replace(/[.0]/g, "")[0]));
      }
    }
  });

  it("reads in the best unit", () => {
    // 800 px wide at scale 1, 0.1 µm per pixel: 25 % is 20 µm.
    expect(scaleBarFor({ value: 0.1, unit: "µm" }, 1, 800)).toMatchObject({ value: 20, unit: "µm", text: "20 µm" });
    expect(scaleBarFor({ value: 2, unit: "nm" }, 1, 800)).toMatchObject({ value: 200, unit: "nm", screenPx: 100 });
    expect(scaleBarFor({ value: 0.01, unit: "mm" }, 1, 800)).toMatchObject({ value: 2, unit: "mm", screenPx: 200 });
  });

  it("is null without a sensible view", () => {
    expect(scaleBarFor({ value: 1, unit: "µm" }, 1, 0)).toBeNull();
  });
});
