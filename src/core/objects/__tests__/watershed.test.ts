import { describe, expect, test } from "vitest";
import { watershed } from "../watershed";

/** Seeded LCG in [0, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe("watershed: integer elevations", () => {
  // Integer maps spanning < 2^16 values are ranked as v - min; any other map by sorting its
  // distinct values. Both must give the same flood: scaling by a non-integer keeps order and ties.
  test.each([
    [64, 48, 300, 1],
    [31, 77, 4, 2], // few levels: many ties, where the FIFO order decides
    [50, 50, 60000, 3],
  ])("%i x %i, %i levels: same labels as the same map made non-integer", (width, height, levels, seed) => {
    const rand = lcg(seed);
    const n = width * height;
    const elevation = new Float64Array(n);
    const mask = new Uint8Array(n);
    const markers = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      elevation[i] = Math.floor(rand() * levels) - Math.floor(levels / 2);
      mask[i] = rand() < 0.9 ? 1 : 0;
      if (rand() < 0.01) markers[i] = 1 + Math.floor(rand() * 9);
    }
    const scaled = elevation.map((v) => v * 0.37 + 0.001);
    for (const connectivity of [4, 8] as const) {
      const integer = watershed(elevation, markers, width, height, { mask, connectivity });
      expect(integer).toEqual(watershed(scaled, markers, width, height, { mask, connectivity }));
      expect(integer.some((l) => l !== 0)).toBe(true);
    }
  });
});
