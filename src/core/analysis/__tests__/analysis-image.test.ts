import { describe, expect, test } from "vitest";
import { analysisImageSize, greyFromRgb, toAnalysisImage } from "../analysis-image";
import type { Raster } from "../raster";

const raster = (r: Partial<Raster> & Pick<Raster, "width" | "height" | "data">): Raster => ({
  channels: 1,
  bitDepth: 8,
  ...r,
});

describe("analysisImageSize", () => {
  test("512 wide, height int(h * 512 / w)", () => {
    expect(analysisImageSize(1536, 1103)).toEqual({ width: 512, height: 367 });
    expect(analysisImageSize(384, 303)).toEqual({ width: 512, height: 404 });
    expect(analysisImageSize(550, 660)).toEqual({ width: 512, height: 614 });
  });
  test("a very wide strip keeps at least one row", () => {
    expect(analysisImageSize(2000, 1)).toEqual({ width: 512, height: 1 });
  });
});

describe("greyFromRgb", () => {
  test("OpenCV fixed-point weights", () => {
    expect(greyFromRgb(255, 0, 0)).toBe(76);
    expect(greyFromRgb(0, 255, 0)).toBe(150);
    expect(greyFromRgb(0, 0, 255)).toBe(29);
    expect(greyFromRgb(255, 255, 255)).toBe(255);
    for (let v = 0; v < 256; v++) expect(greyFromRgb(v, v, v)).toBe(v);
  });
});

describe("toAnalysisImage", () => {
  test("grey 512-wide input passes through unchanged", () => {
    const data = Uint8Array.from({ length: 512 * 3 }, (_, i) => i % 251);
    const out = toAnalysisImage(raster({ width: 512, height: 3, data }));
    expect(out.width).toBe(512);
    expect(out.height).toBe(3);
    expect(Array.from(out.data)).toEqual(Array.from(data));
  });

  test("RGB is resized per channel, then converted with the BGR2GRAY weights", () => {
    const data = new Uint8Array(512 * 2 * 3);
    for (let i = 0; i < 1024; i++) data.set([200, 100, 50], i * 3);
    const out = toAnalysisImage(raster({ width: 512, height: 2, channels: 3, data }));
    expect(out.data.every((v) => v === greyFromRgb(200, 100, 50))).toBe(true);
  });

  test("a grey image stored as RGB(A) gives the grey image's result (one channel resampled)", () => {
    const grey = Uint8Array.from({ length: 1024 * 6 }, (_, i) => (i * 37) % 256);
    const rgba = new Uint8Array(grey.length * 4);
    grey.forEach((v, i) => rgba.set([v, v, v, 255], i * 4));
    const fromGrey = toAnalysisImage(raster({ width: 1024, height: 6, data: grey }));
    expect(toAnalysisImage(raster({ width: 1024, height: 6, channels: 4, data: rgba }))).toEqual(fromGrey);
    rgba[2] = 0; // one pixel not grey: the per-channel path, still the same elsewhere
    const mixed = toAnalysisImage(raster({ width: 1024, height: 6, channels: 4, data: rgba }));
    expect(Array.from(mixed.data.subarray(1))).toEqual(Array.from(fromGrey.data.subarray(1)));
  });

  test("alpha is dropped, not composited (as cv2.imread)", () => {
    const ga = new Uint8Array(512 * 2);
    for (let i = 0; i < 512; i++) ga.set([123, i % 2 === 0 ? 0 : 255], i * 2);
    const out = toAnalysisImage(raster({ width: 512, height: 1, channels: 2, data: ga }));
    expect(out.data.every((v) => v === 123)).toBe(true);
    const rgba = new Uint8Array(512 * 4);
    for (let i = 0; i < 512; i++) rgba.set([10, 20, 30, 0], i * 4);
    const outRgba = toAnalysisImage(raster({ width: 512, height: 1, channels: 4, data: rgba }));
    expect(outRgba.data.every((v) => v === greyFromRgb(10, 20, 30))).toBe(true);
  });

  test("16-bit samples keep their high byte (v >> 8)", () => {
    const data = new Uint16Array(512 * 2);
    data.fill(0x12ff, 0, 512);
    data.fill(0xffff, 512);
    const out = toAnalysisImage(raster({ width: 512, height: 2, bitDepth: 16, data }));
    expect(out.data[0]).toBe(0x12);
    expect(out.data[512]).toBe(255);
    // RGB 16-bit: each channel shifted, then weighted
    const rgb = new Uint16Array(512 * 3);
    for (let i = 0; i < 512; i++) rgb.set([0xc800, 0x6400, 0x3200], i * 3);
    const outRgb = toAnalysisImage(raster({ width: 512, height: 1, channels: 3, bitDepth: 16, data: rgb }));
    expect(outRgb.data[0]).toBe(greyFromRgb(200, 100, 50));
  });

  test("a 1-pixel-wide image becomes a 512-wide image of that column", () => {
    const data = Uint8Array.from([10, 20, 30]);
    const out = toAnalysisImage(raster({ width: 1, height: 3, data }));
    expect(out.width).toBe(512);
    expect(out.height).toBe(1536);
    for (let y = 0; y < out.height; y++) {
      const row = out.data.subarray(y * 512, y * 512 + 512);
      expect(row.every((v) => v === row[0])).toBe(true);
    }
    expect(out.data[0]).toBe(10);
    expect(out.data[out.data.length - 1]).toBe(30);
  });

  test("a single pixel becomes a 512 x 512 constant image", () => {
    const out = toAnalysisImage(raster({ width: 1, height: 1, data: Uint8Array.from([42]) }));
    expect(out.data.length).toBe(512 * 512);
    expect(out.data.every((v) => v === 42)).toBe(true);
  });

  test("bad rasters throw", () => {
    expect(() => toAnalysisImage(raster({ width: 2, height: 2, data: new Uint8Array(3) }))).toThrow(RangeError);
    expect(() => toAnalysisImage(raster({ width: 0, height: 2, data: new Uint8Array(0) }))).toThrow(RangeError);
    expect(() => toAnalysisImage(raster({ width: 2, height: 1, bitDepth: 16, data: new Uint8Array(2) }))).toThrow(
      TypeError,
    );
    expect(() =>
      toAnalysisImage({ width: 1, height: 1, channels: 5 as 1, bitDepth: 8, data: new Uint8Array(5) }),
    ).toThrow(TypeError);
    expect(() =>
      toAnalysisImage(raster({ width: 1, height: 1000, data: new Uint8Array(1000) }), { maxPixels: 1000 }),
    ).toThrow(RangeError);
  });
});
