import { describe, expect, test } from "vitest";
import type { GreyImage } from "../../analysis/raster";
import { measureObjects } from "../measure-objects";
import { segmentObjects } from "../segment-objects";

function hasNonFinite(value: unknown): boolean {
  if (typeof value === "number") return !Number.isFinite(value);
  if (Array.isArray(value)) return value.some(hasNonFinite);
  if (value !== null && typeof value === "object") return Object.values(value).some(hasNonFinite);
  return false;
}

/** A `width` x `height` label map with axis-aligned rectangles [label, row0, col0, rows, cols]. */
function rectangles(width: number, height: number, rects: [number, number, number, number, number][]): Int32Array {
  const labels = new Int32Array(width * height);
  for (const [l, r0, c0, rows, cols] of rects) {
    for (let r = r0; r < r0 + rows; r++) labels.fill(l, r * width + c0, r * width + c0 + cols);
  }
  return labels;
}

const grey = (width: number, height: number, labels?: Int32Array): GreyImage => ({
  width,
  height,
  data: labels ? Uint8Array.from(labels, (l) => (l > 0 ? 200 : 30)) : new Uint8Array(width * height).fill(90),
});

describe("measureObjects", () => {
  test("empty image: count 0, no NaN or Infinity anywhere", () => {
    const m = measureObjects(new Int32Array(64 * 48), grey(64, 48), {
      pixelSize: { value: 2, unit: "nm" },
      skeleton: true,
    });
    expect(m.count).toBe(0);
    expect(m.objects).toEqual([]);
    expect(m.physicalObjects).toEqual([]);
    expect(m.stats.count).toBe(0);
    expect(m.stats.coverage).toBe(0);
    expect(m.stats.density).toBe(0);
    expect(m.stats.d50).toBeNull();
    expect(m.stats.clarkEvans).toBeNull();
    expect(m.boxCounting.dimension).toBeNull();
    expect(hasNonFinite(m)).toBe(false);
    expect(m.physicalStats).toMatchObject({ count: 0, coverage: 0, density_per_nm2: 0, d50_nm: null });
  });

  test("per-object descriptors and image statistics in px", () => {
    const labels = rectangles(40, 30, [
      [1, 2, 2, 4, 10],
      [2, 20, 20, 6, 6],
    ]);
    const m = measureObjects(labels, grey(40, 30, labels));
    expect(m.count).toBe(2);
    expect(m.pixelSize).toBeNull();
    expect(m.physicalObjects).toBeNull();
    expect(m.physicalStats).toBeNull();
    const [a, b] = m.objects;
    expect(a!.area).toBe(40);
    expect(b!.area).toBe(36);
    expect(a!.aspect_ratio).toBeGreaterThan(2);
    expect(b!.solidity).toBe(1);
    expect(a!.skeleton).toBeUndefined();
    expect(m.stats.coverage).toBeCloseTo(76 / 1200, 12);
    expect(m.stats.meanNearestNeighbour).toBeGreaterThan(0);
    expect(m.indexOfDispersion!.q).toBe(4);
    expect(Object.keys(m.indexOfDispersion!.curve)).toHaveLength(14);
    expect(m.boxCounting.dimension).not.toBeNull();
  });

  test("physical units: lengths x pixel size, areas x pixel size squared, unit in the names", () => {
    const labels = rectangles(40, 30, [[1, 5, 5, 8, 12]]);
    const m = measureObjects(labels, grey(40, 30, labels), { pixelSize: { value: 0.5, unit: "µm" } });
    const px = m.objects[0]!;
    const um = m.physicalObjects![0]!;
    expect(um.unit).toBe("µm");
    expect(um.area_um2).toBeCloseTo(px.area * 0.25, 12);
    expect(um.perimeter_um).toBeCloseTo(px.perimeter * 0.5, 12);
    expect(um.equivalent_diameter_um).toBeCloseTo(px.equivalent_diameter * 0.5, 12);
    expect(um.circularity).toBe(px.circularity);
    expect(m.physicalStats!.density_per_um2).toBeCloseTo(1 / (1200 * 0.25), 12);
    expect(m.physicalStats!.d50_um).toBeCloseTo(m.stats.d50! * 0.5, 12);
  });

  test("skeleton statistics per object, in px and in units", () => {
    // A plus sign (one junction, four branches) and a bar (one branch).
    const w = 40;
    const h = 30;
    const labels = rectangles(w, h, [
      [1, 2, 10, 21, 3],
      [1, 11, 1, 3, 21],
      [2, 26, 26, 3, 12],
    ]);
    const m = measureObjects(labels, grey(w, h, labels), { skeleton: true, pixelSize: { value: 3, unit: "nm" } });
    const plus = m.objects[0]!.skeleton!;
    const bar = m.objects[1]!.skeleton!;
    expect(plus.junctionCount).toBeGreaterThanOrEqual(1);
    expect(plus.branchCount).toBeGreaterThanOrEqual(3);
    expect(plus.totalLength).toBeGreaterThan(25);
    expect(bar.branchCount).toBe(1);
    expect(bar.junctionCount).toBe(0);
    expect(bar.longestBranch).toBeGreaterThan(5);
    expect(m.physicalObjects![1]!.skeleton_total_length_nm).toBeCloseTo(bar.totalLength * 3, 12);
  });

  test("segment then measure a synthetic image", () => {
    const w = 96;
    const h = 64;
    const data = new Uint8Array(w * h).fill(200);
    for (const [cx, cy, r] of [
      [20, 20, 8],
      [60, 20, 9],
      [40, 45, 10],
    ] as const) {
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) data[y * w + x] = 40;
    }
    const image = { width: w, height: h, data };
    const seg = segmentObjects(image);
    expect(seg.polarity).toBe("dark");
    const m = measureObjects(seg.labels, image);
    expect(m.count).toBe(3);
    for (const o of m.objects) expect(o.circularity).toBeGreaterThan(0.8);
  });

  test("refusals: object cap, mismatched sizes, bad pixel size, bad q", () => {
    const labels = rectangles(20, 20, [
      [1, 0, 0, 2, 2],
      [2, 5, 5, 2, 2],
      [3, 10, 10, 2, 2],
    ]);
    const g = grey(20, 20, labels);
    expect(() => measureObjects(labels, g, { maxObjects: 2 })).toThrow(/too many objects/);
    expect(() => measureObjects(labels, grey(10, 30))).toThrow(RangeError); // 300 pixels, labels have 400
    expect(() => measureObjects(labels, g, { pixelSize: { value: 0, unit: "nm" } })).toThrow(/pixel size/);
    expect(() => measureObjects(labels, g, { q: 1 })).toThrow(/q must be/);
  });

  test("an image too small for q x q slices has no index of dispersion instead of failing", () => {
    const labels = rectangles(8, 2, [[1, 0, 0, 1, 3]]);
    const m = measureObjects(labels, grey(8, 2, labels));
    expect(m.indexOfDispersion).toBeNull();
    expect(m.count).toBe(1);
  });
});
