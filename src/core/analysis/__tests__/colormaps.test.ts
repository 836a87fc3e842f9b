import { describe, expect, test } from "vitest";
import { COLORMAP_NAMES, colorize, colormapLut, isColormapName, type ColormapName } from "../colormaps";

const rgb = (name: ColormapName, i: number): number[] => Array.from(colormapLut(name).subarray(i * 4, i * 4 + 3));

describe("colour maps (matplotlib cmap(i, bytes=True))", () => {
  test("256 RGBA entries, opaque", () => {
    for (const name of COLORMAP_NAMES) {
      const lut = colormapLut(name);
      expect(lut.length).toBe(1024);
      for (let i = 0; i < 256; i++) expect(lut[i * 4 + 3]).toBe(255);
    }
  });

  test("jet", () => {
    expect(rgb("jet", 0)).toEqual([0, 0, 127]);
    expect(rgb("jet", 255)).toEqual([127, 0, 0]);
    expect(rgb("jet", 128)).toEqual([124, 255, 121]);
    expect(rgb("jet", 64)).toEqual([0, 128, 255]); // green (64 - 31.875) / 63.75 = 0.5039 -> 128
  });

  test("hot", () => {
    expect(rgb("hot", 0)).toEqual([10, 0, 0]);
    expect(rgb("hot", 255)).toEqual([255, 255, 255]);
    expect(rgb("hot", 128)).toEqual([255, 91, 0]);
  });

  test("viridis", () => {
    expect(rgb("viridis", 0)).toEqual([68, 1, 84]);
    expect(rgb("viridis", 128)).toEqual([32, 144, 140]); // viridis(0.5) = (0.127568, 0.566949, 0.550556)
    expect(rgb("viridis", 255)).toEqual([253, 231, 36]);
  });

  test("tab20 cycles over its 20 colours", () => {
    expect(rgb("tab20", 0)).toEqual([31, 119, 180]);
    expect(rgb("tab20", 1)).toEqual([174, 199, 232]);
    expect(rgb("tab20", 19)).toEqual([158, 218, 229]);
    expect(rgb("tab20", 20)).toEqual(rgb("tab20", 0));
  });

  test("white_blue runs from white to blue", () => {
    expect(rgb("white_blue", 0)).toEqual([255, 255, 255]);
    expect(rgb("white_blue", 255)).toEqual([0, 0, 255]);
  });

  test("colorize any 8-bit map, with alpha and transparent zeros", () => {
    const values = Uint8Array.from([0, 128, 255]);
    const out = colorize(values, "jet");
    expect(out).toBeInstanceOf(Uint8ClampedArray);
    expect(Array.from(out)).toEqual([0, 0, 127, 255, 124, 255, 121, 255, 127, 0, 0, 255]);
    const half = colorize(values, "jet", { alpha: 0.5, transparentZero: true });
    expect(Array.from(half.subarray(0, 8))).toEqual([0, 0, 127, 0, 124, 255, 121, 128]);
    expect(() => colorize(values, "nope" as ColormapName)).toThrow(TypeError);
    expect(() => colorize(values, "jet", { alpha: 2 })).toThrow(RangeError);
    expect(isColormapName("viridis")).toBe(true);
    expect(isColormapName("Blues")).toBe(false);
  });

  test("colormapLut returns a copy", () => {
    const lut = colormapLut("hot");
    lut[0] = 99;
    expect(colormapLut("hot")[0]).toBe(10);
  });
});
