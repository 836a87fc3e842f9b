import { describe, expect, it } from "vitest";
import type { GreyImage } from "../../analysis/raster";
import { detectDataBar } from "../detect-data-bar";
import { createRandom as makeRandom } from "../../analysis/random";

/** A noisy textured micrograph: grey blobs on a noisy background (no flat rows anywhere). */
function micrograph(width: number, height: number, seed = 1, background = 90): GreyImage {
  const random = makeRandom(seed);
  const data = new Uint8Array(width * height);
  const blobs = Array.from({ length: Math.ceil((width * height) / 400) }, () => ({
    x: random() * width,
    y: random() * height,
    r: 3 + random() * 8,
  }));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inBlob = blobs.some((b) => (x - b.x) ** 2 + (y - b.y) ** 2 < b.r ** 2);
      const value = (inBlob ? 200 : background) + (random() - 0.5) * 60;
      data[y * width + x] = Math.max(0, Math.min(255, Math.round(value)));
    }
  }
  return { width, height, data };
}

/** Burns a data bar of `rows` rows at the bottom: `background`, a border line, and text blocks. */
function withDataBar(
  image: GreyImage,
  rows: number,
  options: { background: number; ink: number; border?: number | null },
): GreyImage {
  const { width, height } = image;
  const data = image.data.slice();
  const top = height - rows;
  for (let y = top; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const textRow = y - top >= 4 && y - top < rows - 3 && (y - top) % 6 < 3;
      const textColumn = x % 23 < 9 && x % 3 !== 0 && x < width * 0.8;
      data[y * width + x] = textRow && textColumn ? options.ink : options.background;
    }
  }
  if (options.border !== null) data.fill(options.border ?? options.ink, top * width, (top + 1) * width);
  return { width, height, data };
}

describe("detectDataBar: synthetic bars", () => {
  it("finds a black bar with white text (FEI style), with and without a border line", () => {
    const image = micrograph(300, 220);
    expect(detectDataBar(withDataBar(image, 20, { background: 4, ink: 250 }))).toBe(20);
    expect(detectDataBar(withDataBar(image, 20, { background: 0, ink: 255, border: null }))).toBe(20);
  });

  it("finds a white or grey bar with dark text", () => {
    const image = micrograph(256, 200, 2);
    expect(detectDataBar(withDataBar(image, 24, { background: 255, ink: 0 }))).toBe(24);
    expect(detectDataBar(withDataBar(image, 16, { background: 160, ink: 20, border: null }))).toBe(16);
  });

  it("finds a bar under a dark micrograph whose background is clipped to black", () => {
    const image = micrograph(300, 220, 3, 10);
    expect(detectDataBar(withDataBar(image, 18, { background: 2, ink: 250 }))).toBe(18);
  });

  it("finds none in textured micrographs, with or without a dark background", () => {
    for (let seed = 1; seed <= 6; seed++) {
      expect(detectDataBar(micrograph(200, 160, seed))).toBe(0);
      expect(detectDataBar(micrograph(200, 160, seed, 12))).toBe(0);
    }
  });

  it("finds none in a plain band without text (letterbox padding) or in a uniform image", () => {
    const image = withDataBar(micrograph(200, 160), 20, { background: 0, ink: 0, border: null });
    expect(detectDataBar(image)).toBe(0);
    expect(detectDataBar({ width: 50, height: 50, data: new Uint8Array(2500).fill(128) })).toBe(0);
  });

  it("finds none when the whole image looks like the bar (sparse bright particles on black)", () => {
    const { width, height } = { width: 200, height: 160 };
    const random = makeRandom(9);
    const data = new Uint8Array(width * height);
    for (let i = 0; i < data.length; i++) data[i] = random() < 0.02 ? 230 : 3;
    expect(detectDataBar({ width, height, data })).toBe(0);
  });

  it("refuses a bar taller than maxBarShare", () => {
    const image = withDataBar(micrograph(200, 100), 40, { background: 0, ink: 255 });
    expect(detectDataBar(image)).toBe(0);
    expect(detectDataBar(image, { maxBarShare: 0.5 })).toBe(40);
    expect(() => detectDataBar(image, { maxBarShare: 1 })).toThrow(RangeError);
  });

  it("answers 0 for tiny images and a 1-row image, and refuses malformed ones", () => {
    expect(detectDataBar({ width: 1, height: 1, data: new Uint8Array(1) })).toBe(0);
    expect(detectDataBar({ width: 500, height: 1, data: new Uint8Array(500) })).toBe(0);
    expect(detectDataBar({ width: 8, height: 8, data: new Uint8Array(64).fill(3) })).toBe(0);
    expect(detectDataBar(withDataBar(micrograph(40, 15), 5, { background: 0, ink: 255 }))).toBe(0);
    expect(() => detectDataBar({ width: 4, height: 4, data: new Uint8Array(3) })).toThrow(RangeError);
  });
});
