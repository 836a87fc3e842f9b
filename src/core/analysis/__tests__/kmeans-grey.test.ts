import { kmeans } from "ml-kmeans";
import { describe, expect, test } from "vitest";
import { greyHistogram } from "../histogram";
import { clusterMask, kmeansGrey, kmeansHistogram } from "../kmeans-grey";
import { createRandom } from "../random";
import type { GreyImage } from "../raster";

function inertiaOf(values: ArrayLike<number>, labels: ArrayLike<number>): number {
  const sums = new Map<number, { n: number; s: number }>();
  for (let i = 0; i < values.length; i++) {
    const e = sums.get(labels[i]!) ?? { n: 0, s: 0 };
    e.n++;
    e.s += values[i]!;
    sums.set(labels[i]!, e);
  }
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const e = sums.get(labels[i]!)!;
    total += (values[i]! - e.s / e.n) ** 2;
  }
  return total;
}

function mixtureImage(seed: number, width: number, height: number, modes: number[]): GreyImage {
  const random = createRandom(seed);
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) {
    const m = modes[Math.floor(random() * modes.length)]!;
    const v = m + (random() + random() + random() - 1.5) * 40;
    data[i] = Math.max(0, Math.min(255, Math.round(v)));
  }
  return { width, height, data };
}

/** Lowest inertia over every split of the sorted levels into k contiguous groups. */
function bruteForce(levels: number[], weights: number[], k: number): number {
  let best = Infinity;
  const n = levels.length;
  const rec = (startIdx: number, groupsLeft: number, acc: number): void => {
    if (groupsLeft === 1) {
      best = Math.min(best, acc + groupCost(startIdx, n - 1));
      return;
    }
    for (let end = startIdx; end <= n - groupsLeft; end++) rec(end + 1, groupsLeft - 1, acc + groupCost(startIdx, end));
  };
  const groupCost = (a: number, b: number): number => {
    let w = 0;
    let s = 0;
    for (let i = a; i <= b; i++) {
      w += weights[i]!;
      s += weights[i]! * levels[i]!;
    }
    let c = 0;
    for (let i = a; i <= b; i++) c += weights[i]! * (levels[i]! - s / w) ** 2;
    return c;
  };
  rec(0, k, 0);
  return best;
}

describe("kmeansGrey / kmeansHistogram", () => {
  test("exact method finds the optimum (brute force over contiguous splits)", () => {
    const random = createRandom(11);
    for (let trial = 0; trial < 20; trial++) {
      const h = new Uint32Array(256);
      const levels = [...new Set(Array.from({ length: 9 }, () => Math.floor(random() * 256)))].sort((a, b) => a - b);
      for (const l of levels) h[l] = 1 + Math.floor(random() * 50);
      for (const k of [2, 3, 4]) {
        if (levels.length <= k) continue;
        const result = kmeansHistogram(h, k);
        const best = bruteForce(
          levels,
          levels.map((l) => h[l]!),
          k,
        );
        expect(result.inertia).toBeCloseTo(best, 6);
      }
    }
  });

  test("never worse than ml-kmeans on the pixels (independent oracle), and labels are consistent", () => {
    const image = mixtureImage(5, 40, 30, [40, 90, 150, 220]);
    const points = Array.from(image.data, (v) => [v]);
    for (const k of [2, 3, 4, 5, 10]) {
      const ours = kmeansGrey(image, k);
      expect(ours.inertia).toBeCloseTo(inertiaOf(image.data, ours.labels.data), 6);
      let oracle = Infinity;
      for (let seed = 1; seed <= 5; seed++) {
        const r = kmeans(points, k, { seed, initialization: "kmeans++", maxIterations: 300 });
        oracle = Math.min(oracle, inertiaOf(image.data, r.clusters));
      }
      expect(ours.inertia).toBeLessThanOrEqual(oracle * (1 + 1e-12));
    }
  });

  test("ids sorted by centre, statistics add up", () => {
    const image = mixtureImage(9, 64, 64, [30, 128, 230]);
    const r = kmeansGrey(image, 3);
    expect(r.k).toBe(3);
    expect(r.requestedK).toBe(3);
    expect([...r.centers].sort((a, b) => a - b)).toEqual(r.centers);
    expect(r.counts.reduce((a, b) => a + b, 0)).toBe(64 * 64);
    expect(r.areaPercent.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 1);
    for (const p of r.areaPercent) expect(Math.round(p * 100)).toBeCloseTo(p * 100, 8);
    // the label map agrees with the per-level table and with the centres
    for (let i = 0; i < image.data.length; i++) expect(r.labels.data[i]).toBe(r.labelOfGrey[image.data[i]!]);
    for (let c = 0; c < 3; c++) {
      let n = 0;
      let s = 0;
      for (let i = 0; i < image.data.length; i++) {
        if (r.labels.data[i] === c) {
          n++;
          s += image.data[i]!;
        }
      }
      expect(n).toBe(r.counts[c]);
      expect(s / n).toBeCloseTo(r.centers[c]!, 9);
    }
    expect(r.standardizedCenters[1]).toBeCloseTo((r.centers[1]! - r.mean) / r.std, 12);
    expect(r.standardizedInertia).toBeCloseTo(r.inertia / r.std ** 2, 6);
  });

  test("constant image: one cluster, no division by zero", () => {
    const image: GreyImage = { width: 3, height: 3, data: new Uint8Array(9).fill(77) };
    for (const method of ["exact", "lloyd"] as const) {
      const r = kmeansGrey(image, 3, { method });
      expect(r.k).toBe(1);
      expect(r.centers).toEqual([77]);
      expect(r.standardizedCenters).toEqual([0]);
      expect(r.counts).toEqual([9]);
      expect(r.areaPercent).toEqual([100]);
      expect(r.inertia).toBe(0);
      expect(r.standardizedInertia).toBe(0);
      expect(r.std).toBe(0);
      expect(Array.from(r.labels.data)).toEqual(new Array(9).fill(0));
    }
  });

  test("K larger than the number of distinct grey levels: one cluster per level", () => {
    const image: GreyImage = { width: 4, height: 1, data: Uint8Array.from([200, 10, 200, 90]) };
    const r = kmeansGrey(image, 10);
    expect(r.requestedK).toBe(10);
    expect(r.k).toBe(3);
    expect(r.centers).toEqual([10, 90, 200]);
    expect(r.counts).toEqual([1, 1, 2]);
    expect(r.areaPercent).toEqual([25, 25, 50]);
    expect(r.inertia).toBe(0);
    expect(Array.from(r.labels.data)).toEqual([2, 0, 2, 1]);
  });

  test("1-pixel image", () => {
    const r = kmeansGrey({ width: 1, height: 1, data: Uint8Array.from([5]) }, 2);
    expect(r.k).toBe(1);
    expect(r.inertia).toBe(0);
  });

  test("lloyd: same seed, same result; never better than exact", () => {
    const image = mixtureImage(21, 50, 50, [20, 60, 110, 170, 240]);
    const a = kmeansGrey(image, 5, { method: "lloyd", seed: 42 });
    const b = kmeansGrey(image, 5, { method: "lloyd", seed: 42 });
    expect(a.centers).toEqual(b.centers);
    expect(Array.from(a.labels.data)).toEqual(Array.from(b.labels.data));
    const exact = kmeansGrey(image, 5);
    expect(exact.inertia).toBeLessThanOrEqual(a.inertia + 1e-9);
    expect(a.method).toBe("lloyd");
    expect(exact.method).toBe("exact");
  });

  test("bad K, bad histogram and bad options throw RangeError", () => {
    const image: GreyImage = { width: 2, height: 1, data: Uint8Array.from([1, 2]) };
    expect(() => kmeansGrey(image, 1)).toThrow(RangeError);
    expect(() => kmeansGrey(image, 11)).toThrow(RangeError);
    expect(() => kmeansGrey(image, 2.5)).toThrow(RangeError);
    expect(() => kmeansHistogram(new Uint32Array(255), 2)).toThrow(RangeError);
    expect(() => kmeansHistogram(new Uint32Array(256), 2)).toThrow(RangeError);
    const big = mixtureImage(1, 10, 10, [50, 200]);
    expect(() => kmeansGrey(big, 3, { method: "lloyd", restarts: 0 })).toThrow(RangeError);
  });

  test("target-cluster mask", () => {
    const labels: GreyImage = { width: 3, height: 1, data: Uint8Array.from([0, 1, 1]) };
    expect(Array.from(clusterMask(labels, 1).data)).toEqual([0, 255, 255]);
    expect(() => clusterMask(labels, -1)).toThrow(RangeError);
  });

  test("2048 x 2048 in well under a second (bench checks the 50 ms target)", () => {
    const image = mixtureImage(3, 2048, 2048, [50, 128, 200]);
    const t0 = performance.now();
    const r = kmeansGrey(image, 10);
    const ms = performance.now() - t0;
    expect(r.k).toBe(10);
    expect(ms).toBeLessThan(1000);
    expect(greyHistogram(image.data).reduce((a, b) => a + b, 0)).toBe(2048 * 2048);
  });
});
