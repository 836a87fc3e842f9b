import { beforeAll, describe, expect, test } from "vitest";
import { distanceTransform } from "../distance-transform";
import { fillHoles } from "../fill-holes";
import { filterObjects } from "../filter-objects";
import { hMaxima } from "../h-maxima";
import { labelComponents } from "../label-components";
import { watershed } from "../watershed";

/** Random discs (radius 6..17, some overlapping, some with a hole), from a seeded LCG. */
function discs(size: number, count: number, seed: number): Uint8Array {
  const mask = new Uint8Array(size * size);
  let s = seed >>> 0;
  const rand = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  for (let k = 0; k < count; k++) {
    const cx = Math.floor(rand() * size);
    const cy = Math.floor(rand() * size);
    const r = 6 + Math.floor(rand() * 12);
    const hole = rand() < 0.1 ? 2 : -1;
    for (let y = Math.max(0, cy - r); y <= Math.min(size - 1, cy + r); y++) {
      for (let x = Math.max(0, cx - r); x <= Math.min(size - 1, cx + r); x++) {
        const d2 = (x - cx) ** 2 + (y - cy) ** 2;
        if (d2 <= r * r && d2 > hole * hole) mask[y * size + x] = 1;
      }
    }
  }
  return mask;
}

type Timed = { line: string; objects: number };

/** The whole pipeline on `mask`, timing each step. */
function pipeline(mask: Uint8Array, size: number): Timed {
  const times: string[] = [];
  let t0 = performance.now();
  const lap = (name: string): void => {
    const t = performance.now();
    times.push(`${name} ${(t - t0).toFixed(0)} ms`);
    t0 = t;
  };
  const start = t0;
  const components = labelComponents(mask, size, size);
  lap("label");
  const filled = fillHoles(mask, size, size);
  lap("fillHoles");
  const edt = distanceTransform(filled, size, size);
  lap("edt");
  const markers = hMaxima(edt, size, size, 2);
  lap("hMaxima");
  for (let i = 0; i < edt.length; i++) edt[i] = -edt[i]!;
  const basins = watershed(edt, markers.labels, size, size, { mask: filled });
  lap("watershed");
  const objects = filterObjects(basins, size, size, { minArea: 20 });
  lap("filter");
  const total = performance.now() - start;
  return {
    line:
      `${size}^2: ${components.count} components, ${markers.count} markers, ${objects.count} objects kept; ` +
      `${times.join(", ")}; total ${total.toFixed(0)} ms`,
    objects: objects.count,
  };
}

// Timings are printed, not asserted: CI machines vary. Target: 4096^2 with ~10000 objects, whole
// pipeline under ~800 ms. Warm-up runs (a few small images, then each size once untimed) let the
// JIT compile the kernels first, so that the timed run measures them, not the compiler.
describe("segmentation pipeline timing (printed, not asserted)", () => {
  beforeAll(() => {
    for (let seed = 1; seed <= 4; seed++) pipeline(discs(512, 160, seed), 512);
  });

  test.each([
    [1024, 625],
    [4096, 10000],
  ])("%i^2 with %i discs", (size, count) => {
    const mask = discs(size, count, 12345);
    const warm = pipeline(mask, size);
    const timed = pipeline(mask, size);
    console.info(timed.line);
    expect(timed.objects).toBe(warm.objects);
    expect(timed.objects).toBeGreaterThan(0);
  });
});
