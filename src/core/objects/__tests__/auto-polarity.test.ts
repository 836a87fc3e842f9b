import { describe, expect, test } from "vitest";
import { gaussianBlurFloat } from "../gaussian-blur";
import { distanceTransform } from "../distance-transform";
import { latticeStep, phaseSpreads } from "../auto-polarity";

/** Seeded LCG in [0, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Discs of varied brightness (the less uniform phase) on a flat noisy support. */
function scene(size: number, seed: number): { grey: Uint8Array; bright: Uint8Array } {
  const rand = lcg(seed);
  const grey = new Uint8Array(size * size);
  const bright = new Uint8Array(size * size);
  for (let i = 0; i < grey.length; i++) grey[i] = 60 + Math.floor(rand() * 20);
  for (let k = 0; k < (size * size) / 900; k++) {
    const cx = rand() * size;
    const cy = rand() * size;
    const r = 5 + rand() * 12;
    const level = 140 + rand() * 100;
    for (let y = Math.max(0, Math.floor(cy - r)); y < Math.min(size, cy + r); y++) {
      for (let x = Math.max(0, Math.floor(cx - r)); x < Math.min(size, cx + r); x++) {
        if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) continue;
        grey[y * size + x] = Math.min(255, level + Math.floor(rand() * 20));
        bright[y * size + x] = 1;
      }
    }
  }
  return { grey, bright };
}

/** The definition, the slow way: EDT interiors and two normalised convolutions per phase. */
function definitionSpreads(grey: Uint8Array, bright: Uint8Array, size: number) {
  const spread = (phaseValue: number) => {
    const phase = new Uint8Array(grey.length);
    const weighted = new Float64Array(grey.length);
    const weight = new Float64Array(grey.length);
    for (let i = 0; i < grey.length; i++) {
      if (bright[i] !== phaseValue) continue;
      phase[i] = 1;
      weighted[i] = grey[i]!;
      weight[i] = 1;
    }
    const inside = distanceTransform(phase, size, size);
    const sums = gaussianBlurFloat(weighted, size, size, 2);
    const norms = gaussianBlurFloat(weight, size, size, 2);
    let count = 0;
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < grey.length; i++) {
      if (inside[i]! < 3) continue;
      const v = sums[i]! / norms[i]!;
      count++;
      sum += v;
      squares += v * v;
    }
    const mean = sum / count;
    return Math.sqrt(squares / count - mean * mean);
  };
  return { brightSpread: spread(1), darkSpread: spread(0) };
}

describe("phaseSpreads (auto polarity)", () => {
  test("at every pixel it equals the definition (EDT interior >= 3 px, normalised Gaussian within the phase)", () => {
    const size = 120;
    const { grey, bright } = scene(size, 3);
    const fast = phaseSpreads(grey, bright, size, size, 1);
    const slow = definitionSpreads(grey, bright, size);
    expect(fast.brightSpread).toBeCloseTo(slow.brightSpread, 3);
    expect(fast.darkSpread).toBeCloseTo(slow.darkSpread, 3);
    expect(fast.brightSpread).toBeGreaterThan(5 * fast.darkSpread);
  });

  test("the lattice is 8 px from 512^2 px, 4 px from 256^2, every pixel below", () => {
    expect(latticeStep(1024 * 1024)).toBe(8);
    expect(latticeStep(512 * 512)).toBe(8);
    expect(latticeStep(512 * 512 - 1)).toBe(4);
    expect(latticeStep(256 * 256)).toBe(4);
    expect(latticeStep(256 * 256 - 1)).toBe(1);
  });

  test("on the 8 px lattice it estimates the every-pixel spreads of a 1024^2 scene within 3 %", () => {
    const size = 1024;
    for (const seed of [4, 5]) {
      const { grey, bright } = scene(size, seed);
      const every = phaseSpreads(grey, bright, size, size, 1);
      const lattice = phaseSpreads(grey, bright, size, size);
      expect(Math.abs(lattice.brightSpread / every.brightSpread - 1)).toBeLessThan(0.03);
      expect(Math.abs(lattice.darkSpread / every.darkSpread - 1)).toBeLessThan(0.03);
    }
  });

  test("on the 4 px lattice it estimates the every-pixel spreads within 3 %", () => {
    const size = 512;
    for (const seed of [1, 2, 3]) {
      const { grey, bright } = scene(size, seed);
      const every = phaseSpreads(grey, bright, size, size, 1);
      const lattice = phaseSpreads(grey, bright, size, size, 4);
      expect(Math.abs(lattice.brightSpread / every.brightSpread - 1)).toBeLessThan(0.03);
      expect(Math.abs(lattice.darkSpread / every.darkSpread - 1)).toBeLessThan(0.03);
    }
  });
});
