import { readFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { decodeRaster } from "~/server/codecs/decode-raster";
import type { GreyImage } from "~/core/analysis/raster";
import { DISPERSION_THRESHOLDS, greyQuantile, indexOfDispersion } from "../index-of-dispersion";

/**
 * Index of dispersion against scripts/reference/objects_dispersion.py (numpy, written from the
 * paper's definition) on the committed grey images of the reference fixtures, q = 2..5, to 1e-9.
 */

type DispersionCase = {
  fixture: string;
  width: number;
  height: number;
  q: number;
  curve: Record<string, number | null>;
  max: number | null;
  argmax: number | null;
  quantiles: Record<string, number>;
};
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
const reference = JSON.parse(readFileSync(path.join(root, "tests/fixtures/objects/dispersion.json"), "utf8")) as {
  cases: DispersionCase[];
};

async function readGrey(fixture: string): Promise<GreyImage> {
  const r = await decodeRaster(await readFile(path.join(root, "tests/fixtures/reference", fixture, "gray.png")));
  if (r.channels !== 1 || r.bitDepth !== 8) throw new Error(`${fixture}: expected an 8-bit grey PNG`);
  return { width: r.width, height: r.height, data: r.data as Uint8Array };
}

function image(width: number, height: number, f: (x: number, y: number) => number): GreyImage {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = f(x, y);
  return { width, height, data };
}

describe("indexOfDispersion", () => {
  test.each(reference.cases.map((c) => [c.fixture, c.q, c] as const))(
    "%s, q = %i, matches numpy",
    async (fixture, q, c) => {
      const grey = await readGrey(fixture);
      expect([grey.width, grey.height]).toEqual([c.width, c.height]);
      const hist = new Float64Array(256);
      for (const v of grey.data) hist[v]! += 1;
      for (const t of DISPERSION_THRESHOLDS) {
        expect(greyQuantile(hist, grey.data.length, t)).toBe(c.quantiles[t.toFixed(2)]);
      }
      const r = indexOfDispersion(grey, { q });
      expect(r.q).toBe(q);
      expect(Object.keys(r.curve)).toEqual(Object.keys(c.curve));
      for (const [k, v] of Object.entries(c.curve)) {
        const ours = r.curve[k];
        if (v === null) expect(ours).toBeNull();
        else expect(Math.abs(ours! - v)).toBeLessThanOrEqual(1e-9);
      }
      expect(r.argmax).toBe(c.argmax);
      expect(Math.abs(r.max! - c.max!)).toBeLessThanOrEqual(1e-9);
    },
  );

  test("a fine regular dot pattern gives ID ~ 0", () => {
    // One bright pixel in every 4 x 4 cell, and a smooth dark background.
    const img = image(256, 256, (x, y) => (x % 4 === 1 && y % 4 === 2 ? 255 : (x + y) % 7));
    const r = indexOfDispersion(img, { q: 4 });
    // At t >= 0.94 the quantile is the dot level itself, so nothing is white: null.
    expect(r.curve["0.95"]).toBeNull();
    expect(r.curve["0.90"]).toBe(0);
    expect(r.max).not.toBeNull();
    for (const v of Object.values(r.curve)) if (v !== null) expect(v).toBeLessThan(0.01);
  });

  test("all white in one slice gives a large ID", () => {
    // Top-left slice bright, the rest dark; q = 4: FC = [1, 0 x 15] at t = 0.95 ... 0.5 (white
    // share 1/16 of the image but threshold quantiles fall on the dark level).
    const img = image(64, 64, (x, y) => (x < 16 && y < 16 ? 200 : 10));
    const r = indexOfDispersion(img, { q: 4 });
    // mean = 1/16, sample variance = (1/16)(15/16) * 16/15 = 1/16, ID = 3 * (1/16) / (1/16) = 3.
    expect(r.curve["0.50"]).toBeCloseTo(3, 12);
    expect(r.max).toBeCloseTo(3, 12);
  });

  test("no white pixel: ID null, max and argmax null", () => {
    const r = indexOfDispersion(
      image(20, 20, () => 7),
      { q: 2 },
    );
    expect(Object.values(r.curve).every((v) => v === null)).toBe(true);
    expect(r.max).toBeNull();
    expect(r.argmax).toBeNull();
  });

  test("slice width uses the slice height: floor(W * floor(H / q) / H)", () => {
    // H = 10, q = 3: h = 3, w = floor(30 * 3 / 10) = 9; the white column x = 27..29 is outside.
    const img = image(30, 10, (x) => (x >= 27 ? 255 : 0));
    const r = indexOfDispersion(img, { q: 3 });
    expect(r.curve["0.50"]).toBeNull();
  });

  test("bad parameters throw RangeError", () => {
    const img = image(8, 8, () => 0);
    expect(() => indexOfDispersion(img, { q: 1 })).toThrow(RangeError);
    expect(() => indexOfDispersion(img, { q: 2.5 })).toThrow(RangeError);
    expect(() => indexOfDispersion(img, { q: 9 })).toThrow(RangeError);
    expect(() => indexOfDispersion({ width: 2, height: 2, data: new Uint8Array(3) })).toThrow(RangeError);
  });
});
