import { describe, expect, test } from "vitest";
import { createRandom } from "../../analysis/random";
import {
  imageStats,
  meanNearestNeighbour,
  NO_OBJECT_STATS,
  percentileSorted,
  type ObjectRecordForStats,
} from "../image-stats";

function obj(row: number, col: number, diameter = 2): ObjectRecordForStats {
  return { area: (Math.PI * diameter * diameter) / 4, equivalentDiameter: diameter, centroid: [row, col] };
}

function bruteMeanNN(rows: Float64Array, cols: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < rows.length; i++) {
    let best = Infinity;
    for (let j = 0; j < rows.length; j++) {
      if (i === j) continue;
      best = Math.min(best, Math.hypot(rows[i]! - rows[j]!, cols[i]! - cols[j]!));
    }
    sum += best;
  }
  return sum / rows.length;
}

describe("imageStats", () => {
  test("no objects: zeros and nulls, no NaN", () => {
    const s = imageStats([], 100, 50);
    expect(s).toEqual({ count: 0, density: 0, coverage: 0, ...NO_OBJECT_STATS });
    expect(Object.values(NO_OBJECT_STATS).every((v) => v === null)).toBe(true);
  });

  test("one object: NN values null", () => {
    const s = imageStats([obj(5, 5, 4)], 10, 10);
    expect(s.count).toBe(1);
    expect(s.density).toBe(0.01);
    expect(s.coverage).toBeCloseTo((Math.PI * 4) / 100, 12);
    expect(s.d10).toBe(4);
    expect(s.meanNearestNeighbour).toBeNull();
    expect(s.clarkEvans).toBeNull();
    expect(s.histogram).toEqual({ edges: [3.5, 4.5], counts: [1] });
  });

  test("square lattice: NN = spacing, Clark-Evans = 2", () => {
    const objects: ObjectRecordForStats[] = [];
    for (let r = 0; r < 10; r++) for (let c = 0; c < 10; c++) objects.push(obj(5 + 10 * r, 5 + 10 * c));
    const s = imageStats(objects, 100, 100);
    expect(s.meanNearestNeighbour).toBeCloseTo(10, 12);
    // density = 0.01, expected random NN = 0.5 / 0.1 = 5.
    expect(s.clarkEvans).toBeCloseTo(2, 12);
  });

  test("percentiles as numpy (linear)", () => {
    // numpy.percentile([1, 2, 3, 4, 10], [10, 50, 90]) = [1.4, 3, 7.6]
    const objects = [1, 2, 3, 4, 10].map((d, i) => obj(i, 0, d));
    const s = imageStats(objects, 10, 10, { analysedArea: 50 });
    expect(s.d10).toBeCloseTo(1.4, 12);
    expect(s.d50).toBe(3);
    expect(s.medianDiameter).toBe(3);
    expect(s.d90).toBeCloseTo(7.6, 12);
    expect(s.meanDiameter).toBe(4);
    expect(s.density).toBe(0.1);
    expect(percentileSorted([0, 10], 25)).toBe(2.5);
  });

  test("histogram: numpy edges and bin rules", () => {
    const objects = [1, 2, 2, 3, 4].map((d, i) => obj(i, 0, d));
    // numpy.histogram([1, 2, 2, 3, 4], bins=3) -> counts [1, 2, 2], edges [1, 2, 3, 4]
    expect(imageStats(objects, 10, 10, { bins: 3 }).histogram).toEqual({ edges: [1, 2, 3, 4], counts: [1, 2, 2] });
    // numpy.histogram([1, 2, 2, 3, 4], bins=[0, 2, 5]) -> [1, 4]
    expect(imageStats(objects, 10, 10, { bins: [0, 2, 5] }).histogram).toEqual({ edges: [0, 2, 5], counts: [1, 4] });
    // numpy.histogram_bin_edges([1, 2, 2, 3, 4], bins="auto") -> 4 bins over [1, 4]
    const auto = imageStats(objects, 10, 10).histogram!;
    expect(auto.edges).toHaveLength(5);
    expect(auto.counts.reduce((a, b) => a + b, 0)).toBe(5);
  });

  test("nearest neighbours match brute force on random and clustered points", () => {
    const rand = createRandom(7);
    for (const [n, spread] of [
      [500, 1000],
      [300, 5],
      [2, 1],
    ] as const) {
      const rows = new Float64Array(n);
      const cols = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        rows[i] = i < n / 2 ? rand() * spread : 500 + rand() * spread * 0.01;
        cols[i] = rand() * spread;
      }
      expect(meanNearestNeighbour(rows, cols)).toBeCloseTo(bruteMeanNN(rows, cols), 9);
    }
    // Duplicates: distance 0.
    expect(meanNearestNeighbour(new Float64Array([1, 1, 5]), new Float64Array([1, 1, 1]))).toBeCloseTo(4 / 3, 12);
  });

  test("100 000 random objects: Clark-Evans ~ 1, fast", () => {
    const rand = createRandom(1);
    const objects: ObjectRecordForStats[] = [];
    for (let i = 0; i < 100_000; i++) objects.push(obj(rand() * 4096, rand() * 4096, 1 + rand() * 5));
    const t0 = performance.now();
    const s = imageStats(objects, 4096, 4096);
    const ms = performance.now() - t0;
    expect(s.clarkEvans!).toBeGreaterThan(0.95);
    expect(s.clarkEvans!).toBeLessThan(1.05);
    expect(ms).toBeLessThan(5000);
  });

  test("bad inputs throw RangeError", () => {
    expect(() => imageStats([], 0, 10)).toThrow(RangeError);
    expect(() => imageStats([], 10, 10, { analysedArea: 0 })).toThrow(RangeError);
    expect(() => imageStats([obj(0, 0)], 10, 10, { bins: 0 })).toThrow(RangeError);
    expect(() => imageStats([obj(0, 0)], 10, 10, { bins: [1, 1] })).toThrow(RangeError);
  });
});
