/**
 * The encoder input equals SAM 2's own preprocessing (torchvision's antialiased bilinear Resize to
 * 1024 x 1024 on the /255 float image, then ImageNet normalisation), computed with torch by
 * scripts/reference/sam2_preprocess.py on the committed reference inputs (sk_coins 384 x 303,
 * sk_cell 550 x 660, gaas_nanowires 1024 x 688: all enlarged); a synthetic 2048 -> 1024 case
 * covers a reduction, where the antialiasing filter is widened by the scale.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Raster } from "~/core/analysis/raster";
import { decodeRaster } from "~/server/codecs/decode-raster";
import { SAM2_INPUT_SIZE } from "../sam2-contract";
import { resizeChannel, sam2EncoderPlanes } from "../sam2-preprocess";

const repoRoot = path.resolve(__dirname, "../../../../..");
type Reference = {
  inputs: Record<
    string,
    {
      file: string;
      width: number;
      height: number;
      channelSums: number[];
      channelSumsOfSquares: number[];
      samples: [number, number, number, number][];
      rows: Record<string, number[]>;
    }
  >;
};
const reference = JSON.parse(
  readFileSync(path.join(repoRoot, "tests/fixtures/sam2-reference/preprocess.json"), "utf8"),
) as Reference;
const PLANE = SAM2_INPUT_SIZE * SAM2_INPUT_SIZE;

describe("SAM 2 encoder input", () => {
  it.each(Object.keys(reference.inputs))("equals torch's SAM2Transforms on %s", async (name) => {
    const expected = reference.inputs[name]!;
    const raster = await decodeRaster(readFileSync(path.join(repoRoot, expected.file)));
    expect([raster.width, raster.height]).toEqual([expected.width, expected.height]);
    const planes = sam2EncoderPlanes(raster);
    expect(planes).toHaveLength(3 * PLANE);
    let worst = 0;
    for (const [c, y, x, value] of expected.samples) {
      worst = Math.max(worst, Math.abs(planes[c * PLANE + y * SAM2_INPUT_SIZE + x]! - value));
    }
    for (const [row, values] of Object.entries(expected.rows)) {
      values.forEach((value, x) => {
        worst = Math.max(worst, Math.abs(planes[Number(row) * SAM2_INPUT_SIZE + x]! - value));
      });
    }
    // float32 sums in a different order: a few ulp of values up to ~2.6.
    expect(worst).toBeLessThan(2e-6);
    for (let c = 0; c < 3; c++) {
      let sum = 0;
      let squares = 0;
      for (let i = c * PLANE; i < (c + 1) * PLANE; i++) {
        sum += planes[i]!;
        squares += planes[i]! * planes[i]!;
      }
      expect(sum / PLANE).toBeCloseTo(expected.channelSums[c]! / PLANE, 6);
      expect(squares / PLANE).toBeCloseTo(expected.channelSumsOfSquares[c]! / PLANE, 5);
    }
  });

  it("reduces with the filter widened by the scale (a box mean for an exact 2:1 reduction)", () => {
    // 2048 wide -> 1024: each output pixel is the triangle of half-width 2 over 4 inputs with
    // weights 1/8, 3/8, 3/8, 1/8 (PIL/torch antialias), not the 2-tap bilinear of OpenCV.
    const width = 2048;
    const height = 1024;
    const data = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = x % 4 === 0 ? 255 : 0;
    const raster: Raster = { width, height, channels: 1, bitDepth: 8, data };
    const resized = resizeChannel(raster, 0);
    // Output x = 10 covers inputs 19..22 (centre 21): 255 lands on input 20 with weight 3/8.
    expect(resized[10]).toBeCloseTo(3 / 8, 6);
    // Output x = 11 covers inputs 21..24: 255 on input 24 with weight 1/8.
    expect(resized[11]).toBeCloseTo(1 / 8, 6);
  });

  it("scales 16-bit codes by 65535 and replicates grey to R, G and B", () => {
    const raster: Raster = {
      width: 2,
      height: 2,
      channels: 1,
      bitDepth: 16,
      data: Uint16Array.from([65535, 65535, 65535, 65535]),
    };
    const planes = sam2EncoderPlanes(raster);
    expect(planes[0]).toBeCloseTo((1 - 0.485) / 0.229, 5);
    expect(planes[PLANE]).toBeCloseTo((1 - 0.456) / 0.224, 5);
    expect(planes[2 * PLANE + PLANE - 1]).toBeCloseTo((1 - 0.406) / 0.225, 5);
  });
});
