import { describe, expect, it } from "vitest";
import { labelMapRgba, labelsFromRgba } from "../object-set-labels";
import { convertLength, pixelSizeColumns, pixelSizeOf } from "../pixel-size";
import { cappedWidth } from "../compute-object-set";

describe("pixel size columns", () => {
  it("store micrometres and read back in the unit given, exactly", () => {
    expect(pixelSizeColumns({ value: 2.5, unit: "nm" })).toEqual({ pixelSizeUm: 0.0025, pixelSizeUnit: "nm" });
    expect(pixelSizeOf({ pixelSizeUm: 0.0025, pixelSizeUnit: "nm" })).toEqual({ value: 2.5, unit: "nm" });
    expect(pixelSizeOf({ pixelSizeUm: 1100, pixelSizeUnit: "mm" })).toEqual({ value: 1.1, unit: "mm" });
    expect(pixelSizeOf({ pixelSizeUm: 0.31, pixelSizeUnit: null })).toEqual({ value: 0.31, unit: "µm" });
    expect(pixelSizeOf({ pixelSizeUm: null, pixelSizeUnit: "nm" })).toBeNull();
    expect(pixelSizeColumns(null)).toEqual({ pixelSizeUm: null, pixelSizeUnit: null });
    expect(convertLength(1.1, "µm", "nm")).toBe(1100);
    expect(() => pixelSizeColumns({ value: 0, unit: "nm" })).toThrow(RangeError);
  });
});

describe("label map encoding", () => {
  it("round-trips 24-bit labels through RGBA, background transparent", () => {
    const labels = Int32Array.from([0, 1, 255, 256, 65_535, 65_536, 0xffffff]);
    const rgba = labelMapRgba(labels);
    expect([...rgba.slice(0, 8)]).toEqual([0, 0, 0, 0, 1, 0, 0, 255]);
    expect([...labelsFromRgba(rgba)]).toEqual([...labels]);
    expect(() => labelMapRgba(Int32Array.from([0x1000000]))).toThrow(RangeError);
  });

  it("caps the long side", () => {
    expect(cappedWidth(1000, 800, 4096)).toBe(1000);
    expect(cappedWidth(8192, 6144, 4096)).toBe(4096);
    expect(cappedWidth(3000, 12000, 4096)).toBe(1024);
  });
});
