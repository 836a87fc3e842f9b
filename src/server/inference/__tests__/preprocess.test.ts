import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { decodeRaster } from "~/server/codecs/decode-raster";

import { centreCropOffset, preprocessRaster, resizedSize } from "../preprocess";
import { fixtureDir, repoRoot, sharedDir } from "./fixtures";

const referenceInputs = path.join(sharedDir, "fixtures/reference");
/** Committed torchvision tensors of the licensed fixtures (training/make_fixtures.py). */
const LICENSED = ["sk_coins", "sk_cell", "gaas_nanowires"] as const;
/** Dev-check tensors of every fixture (training/torchvision_reference.py), not committed. */
const devCheckDir = path.join(repoRoot, "training/.cache/torchvision");

function inputOf(name: string): string | undefined {
  const dir = path.join(referenceInputs, name);
  if (!existsSync(dir)) return undefined;
  const file = readdirSync(dir).find((f) => f.startsWith("input."));
  return file ? path.join(dir, file) : undefined;
}

async function worstDifference(input: string, torchvisionBytes: Uint8Array): Promise<{ worst: number; mean: number }> {
  const plane = preprocessRaster(await decodeRaster(readFileSync(input)));
  expect(plane.length).toBe(torchvisionBytes.length);
  let worst = 0;
  let sum = 0;
  for (let i = 0; i < plane.length; i++) {
    const d = Math.abs((plane[i] ?? NaN) - (torchvisionBytes[i] ?? NaN) / 255);
    sum += d;
    worst = Math.max(worst, d);
  }
  return { worst, mean: sum / plane.length };
}

describe("geometry follows torchvision", () => {
  it.each([
    [1536, 1103, { width: 427, height: 307 }],
    [384, 303, { width: 389, height: 307 }],
    [550, 660, { width: 307, height: 368 }],
  ])("resizes the shorter side to 307 and truncates the longer one: %i x %i", (width, height, resized) => {
    expect(resizedSize(width, height)).toEqual(resized);
  });

  it("rounds the centre-crop offset half to even like Python's round", () => {
    expect(centreCropOffset(389, 256)).toBe(66); // 66.5 -> 66
    expect(centreCropOffset(427, 256)).toBe(86); // 85.5 -> 86
    expect(centreCropOffset(307, 256)).toBe(26); // 25.5 -> 26
  });

  it("rejects a malformed raster", () => {
    expect(() => preprocessRaster({ width: 4, height: 4, channels: 1, bitDepth: 8, data: new Uint8Array(3) })).toThrow(
      RangeError,
    );
  });

  it("maps 16-bit full scale to 1", () => {
    const fullScale = new Uint16Array(300 * 300).fill(65535);
    const plane = preprocessRaster({ width: 300, height: 300, channels: 1, bitDepth: 16, data: fullScale });
    expect(plane[0]).toBe(1);
  });
});

describe.skipIf(!existsSync(referenceInputs))("matches torchvision's tensors within 2/255", () => {
  it.each(LICENSED)("%s (committed tensor)", async (name) => {
    const input = inputOf(name);
    expect(input, `fixture input for ${name}`).toBeDefined();
    const expected = new Uint8Array(readFileSync(path.join(fixtureDir, `torchvision-${name}.u8`)));
    const { worst } = await worstDifference(input ?? "", expected);
    expect(worst).toBeLessThanOrEqual(2 / 255);
  });

  const devTensors = existsSync(devCheckDir) ? readdirSync(devCheckDir).filter((f) => f.endsWith(".u8")) : [];
  it.skipIf(devTensors.length === 0)(
    "every fixture with a dev-check tensor (training/torchvision_reference.py)",
    async () => {
      for (const file of devTensors) {
        const name = file.replace(/\.u8$/, "");
        const input = inputOf(name);
        if (!input) continue;
        const { worst } = await worstDifference(input, new Uint8Array(readFileSync(path.join(devCheckDir, file))));
        expect(worst, name).toBeLessThanOrEqual(2 / 255);
      }
    },
  );
});

if (!existsSync(referenceInputs)) {
  console.warn(`[preprocess.test] ${referenceInputs} not found: the torchvision comparisons are skipped`);
}
