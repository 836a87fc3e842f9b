import { describe, expect, it } from "vitest";
import type { GreyImage, Raster } from "~/core/analysis/raster";
import {
  DESCRIPTOR_LONG_SIDE,
  DESCRIPTOR_NAMES,
  descriptorGrey,
  greyDescriptors,
  imageDescriptors,
} from "../image-descriptors";

const SIZE = 256;
/** Textured bright objects on a flat background: objects are the less uniform phase. */
const texture = (x: number, y: number) => 170 + ((x * 7 + y * 13) % 60);

/** Bright discs of radius 9 on a grid. */
function discs(): GreyImage {
  const data = new Uint8Array(SIZE * SIZE).fill(30);
  for (let cy = 20; cy < SIZE; cy += 40)
    for (let cx = 20; cx < SIZE; cx += 40)
      for (let y = cy - 9; y <= cy + 9; y++)
        for (let x = cx - 9; x <= cx + 9; x++)
          if ((x - cx) ** 2 + (y - cy) ** 2 <= 81 && x < SIZE && y < SIZE) data[y * SIZE + x] = texture(x, y);
  return { width: SIZE, height: SIZE, data };
}

/** Thin bright diagonal-free lines: 3 px wide, 120 px long, horizontal. */
function lines(): GreyImage {
  const data = new Uint8Array(SIZE * SIZE).fill(30);
  for (let row = 15; row < SIZE - 3; row += 30)
    for (let y = row; y < row + 3; y++)
      for (let x = 40 + (row % 60); x < 160 + (row % 60); x++) data[y * SIZE + x] = texture(x, y);
  return { width: SIZE, height: SIZE, data };
}

const value = (v: Float32Array, name: (typeof DESCRIPTOR_NAMES)[number]) => v[DESCRIPTOR_NAMES.indexOf(name)]!;

describe("image descriptors", () => {
  it("is a fixed, named, finite vector and deterministic", () => {
    const a = greyDescriptors(discs());
    expect(a).toHaveLength(DESCRIPTOR_NAMES.length);
    expect(new Set(DESCRIPTOR_NAMES).size).toBe(DESCRIPTOR_NAMES.length);
    expect(Array.from(a).every(Number.isFinite)).toBe(true);
    expect(Array.from(greyDescriptors(discs()))).toEqual(Array.from(a));
  });

  it("tells discs from lines by shape", () => {
    const d = greyDescriptors(discs());
    const l = greyDescriptors(lines());
    expect(value(d, "median_circularity")).toBeGreaterThan(0.7);
    expect(value(d, "median_circularity")).toBeGreaterThan(2 * value(l, "median_circularity"));
    expect(value(l, "median_circularity")).toBeLessThan(0.4);
    expect(value(d, "median_aspect_ratio")).toBeLessThan(1.3);
    expect(value(l, "median_aspect_ratio")).toBeGreaterThan(10);
    expect(value(d, "median_eccentricity")).toBeLessThan(0.5);
    expect(value(l, "median_eccentricity")).toBeGreaterThan(0.95);
    expect(value(d, "object_density_per_mpx")).toBeCloseTo((36 / SIZE ** 2) * 1e6, 0);
    expect(value(d, "median_solidity")).toBeGreaterThan(0.9);
  });

  it("has no objects to measure in a flat image, and says 0 rather than NaN", () => {
    const flat = greyDescriptors({ width: 64, height: 64, data: new Uint8Array(64 * 64).fill(128) });
    expect(Array.from(flat).every(Number.isFinite)).toBe(true);
    expect(value(flat, "grey_std")).toBe(0);
  });

  it("measures large uploads on a bounded grey (long side capped, never upscaled)", () => {
    const big: Raster = {
      width: 2000,
      height: 1000,
      channels: 1,
      bitDepth: 8,
      data: new Uint8Array(2000 * 1000).fill(90),
    };
    const grey = descriptorGrey(big);
    expect(Math.max(grey.width, grey.height)).toBe(DESCRIPTOR_LONG_SIDE);
    const small: Raster = { width: 100, height: 50, channels: 1, bitDepth: 8, data: new Uint8Array(5000).fill(90) };
    expect(descriptorGrey(small)).toMatchObject({ width: 100, height: 50 });
    expect(imageDescriptors(small)).toHaveLength(DESCRIPTOR_NAMES.length);
  });
});
