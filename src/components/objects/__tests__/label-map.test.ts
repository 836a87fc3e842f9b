import { describe, expect, it } from "vitest";
import { decodeLabelRgba, labelAt, objectMask, outlineRgba } from "../label-map";
import { pixelSizeFromLine } from "../set-scale";

describe("label map", () => {
  it("decodes label = R + 256 G + 65536 B, transparent = background", () => {
    const rgba = [1, 0, 0, 255, 44, 1, 0, 255, 9, 9, 9, 0, 0, 0, 1, 255];
    expect([...decodeLabelRgba(rgba, 2, 2).labels]).toEqual([1, 300, 0, 65536]);
  });

  it("outlines objects, masks one, and hit-tests image points", () => {
    // 4 x 4: a 3 x 3 object 7 at the top-left.
    const labels = new Int32Array([7, 7, 7, 0, 7, 7, 7, 0, 7, 7, 7, 0, 0, 0, 0, 0]);
    const map = { width: 4, height: 4, labels };
    const out = outlineRgba(map, () => [255, 0, 0, 255]);
    const alpha = Array.from({ length: 16 }, (_, i) => out[i * 4 + 3]);
    expect(alpha).toEqual([255, 255, 255, 0, 255, 0, 255, 0, 255, 255, 255, 0, 0, 0, 0, 0]);
    expect(objectMask(map, 7).filter((v) => v === 255)).toHaveLength(9);
    expect(labelAt(map, { width: 40, height: 40 }, { x: 15, y: 15 })).toBe(7);
    expect(labelAt(map, { width: 40, height: 40 }, { x: 35, y: 5 })).toBe(0);
  });
});

describe("pixelSizeFromLine", () => {
  it("divides the length by the line's pixels", () => {
    expect(pixelSizeFromLine("10", "µm", 200)).toEqual({ pixelSize: { value: 0.05, unit: "µm" } });
    expect(pixelSizeFromLine(" 2,5 ", "nm", 5)).toEqual({ pixelSize: { value: 0.5, unit: "nm" } });
  });
  it("refuses empty, zero, negative and non-numbers with a message", () => {
    expect(pixelSizeFromLine("", "µm", 100)).toEqual({ error: "Enter the known length of the line." });
    expect(pixelSizeFromLine("0", "µm", 100)).toEqual({ error: "The length must be greater than 0." });
    expect(pixelSizeFromLine("-3", "µm", 100)).toEqual({ error: "The length must be greater than 0." });
    expect(pixelSizeFromLine("abc", "µm", 100)).toHaveProperty("error");
    expect(pixelSizeFromLine("5", "µm", 0)).toHaveProperty("error");
  });
});
