import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { decodeRaster } from "~/server/codecs/decode-raster";
import { FEI_TEXT, encodeGreyTiff } from "~/server/codecs/__tests__/test-images";
import { fixtureDir, fixtureInput } from "~/core/analysis/__tests__/reference-fixtures";
import { encodeLabelsPng, parsePixelSize, run, type ObjectsResultJson } from "../cli/objects";
import { cli } from "./cli-process";

/** Parses objects.csv (no quoted cells in it: names and numbers only). */
function parseCsv(text: string): { header: string[]; rows: string[][] } {
  const lines = text.split("\r\n").filter((l) => l.length > 0);
  return { header: lines[0]!.split(","), rows: lines.slice(1).map((l) => l.split(",")) };
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "ccc-objects-"));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const coins = () => fixtureInput(fixtureDir("sk_coins")!);

describe("cli objects (spawned through tsx)", () => {
  test("sk_coins: labels.png, objects.csv and result.json; about 24 coins", async () => {
    const out = path.join(tmp, "out-coins");
    const { code, stdout, stderr } = await cli([
      "objects",
      coins(),
      "--out",
      out,
      "--pixel-size",
      "0.5um",
      "--exclude-border",
      "--json",
    ]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const summary = JSON.parse(stdout.trim().split("\n").at(-1)!) as { count: number; params: { version: number } };
    expect(summary.params.version).toBe(1);
    const dir = path.join(out, "input");

    const json = JSON.parse(await readFile(path.join(dir, "result.json"), "utf8")) as ObjectsResultJson;
    expect(Object.keys(json)).toEqual([
      "width",
      "height",
      "pixelSize",
      "count",
      "coverage",
      "indexOfDispersion",
      "objects",
      "timingsMs",
    ]);
    expect([json.width, json.height]).toEqual([384, 303]);
    expect(json.pixelSize).toEqual({ value: 0.5, unit: "µm" });
    // 24 coins; a fragment or two of the unevenly lit background may survive the border filter.
    expect(json.count).toBeGreaterThanOrEqual(22);
    expect(json.count).toBeLessThanOrEqual(27);
    expect(summary.count).toBe(json.count);
    expect(json.objects).toHaveLength(json.count);
    expect(json.coverage).toBeGreaterThan(0.1);
    expect(json.coverage).toBeLessThan(0.6);
    expect(json.indexOfDispersion!.q).toBe(4);
    expect(Object.keys(json.indexOfDispersion!.curve)[0]).toBe("0.95");
    expect(json.timingsMs.total).toBeGreaterThan(0);
    const first = json.objects[0]!;
    for (const key of [
      "id",
      "area",
      "perimeter",
      "equivalentDiameter",
      "majorAxis",
      "minorAxis",
      "eccentricity",
      "solidity",
      "feretMax",
      "circularity",
      "aspectRatio",
    ]) {
      expect(first, key).toHaveProperty(key);
    }
    expect(first.id).toBe(1);
    expect(first.physical!.area_um2).toBeCloseTo(first.area * 0.25, 9);
    // Coins are round: median circularity well above 0.8.
    const circ = json.objects.map((o) => o.circularity ?? 0).sort((a, b) => a - b);
    expect(circ[Math.floor(circ.length / 2)]).toBeGreaterThan(0.8);

    const labels = await decodeRaster(await readFile(path.join(dir, "labels.png")));
    expect([labels.width, labels.height, labels.channels, labels.bitDepth]).toEqual([384, 303, 1, 16]);
    let max = 0;
    for (const v of labels.data) if (v > max) max = v;
    expect(max).toBe(json.count);
    expect(labels.data.filter((v) => v === 1).length).toBe(first.area);

    const csv = parseCsv(await readFile(path.join(dir, "objects.csv"), "utf8"));
    expect(csv.header.slice(0, 3)).toEqual(["id", "area_px", "perimeter_px"]);
    expect(csv.header).toContain("area_um2");
    expect(csv.header).toContain("equivalent_diameter_um");
    expect(csv.header).toContain("circularity");
    expect(csv.rows).toHaveLength(json.count);
    for (const row of csv.rows) expect(row).toHaveLength(csv.header.length);
    expect(Number(csv.rows[0]![csv.header.indexOf("area_um2")])).toBeCloseTo(first.area * 0.25, 9);
  }, 60_000);

  test("bad --pixel-size and other usage errors exit 2 with a clear message", async () => {
    const values = ["0nm", "-1um", "NaNnm", "abc", "5furlongs", "1e999mm"];
    const results = await Promise.all(values.map((v) => cli(["objects", "x.png", "--out", tmp, "--pixel-size", v])));
    results.forEach((r, i) => {
      expect(r.code, values[i]).toBe(2);
      expect(r.stderr, values[i]).toMatch(/--pixel-size/);
    });
    const others = await Promise.all([
      cli(["objects", "x.png", "--out", tmp, "--invert", "maybe"]),
      cli(["objects", "x.png", "--out", tmp, "--h", "0"]),
      cli(["objects", "x.png"]),
    ]);
    expect(others.map((r) => r.code)).toEqual([2, 2, 2]);
    expect(others[0].stderr).toMatch(/--invert must be auto, yes or no/);
  }, 60_000);
});

describe("cli objects helpers (in process)", () => {
  test("parsePixelSize accepts nm, um, µm, μm and mm", () => {
    expect(parsePixelSize("2.5nm")).toEqual({ value: 2.5, unit: "nm" });
    expect(parsePixelSize("0.1 um")).toEqual({ value: 0.1, unit: "µm" });
    expect(parsePixelSize("0.1µm")).toEqual({ value: 0.1, unit: "µm" });
    expect(parsePixelSize("0.1μm")).toEqual({ value: 0.1, unit: "µm" });
    expect(parsePixelSize("1e-3mm")).toEqual({ value: 0.001, unit: "mm" });
    expect(() => parsePixelSize("0um")).toThrow(/> 0/);
    expect(() => parsePixelSize("3 parsecs")).toThrow(/unit/);
  });

  test("labels.png refuses more than 65535 objects", async () => {
    await expect(encodeLabelsPng(new Int32Array(4), 2, 2, 70_000)).rejects.toThrow(/65535/);
  });

  test("no pixel size: no unit columns, pixelSize null; --width resizes; --no-split", async () => {
    const out = path.join(tmp, "out-plain");
    expect(await run([coins(), "--out", out, "--width", "192", "--no-split", "--skeleton"])).toBe(0);
    const dir = path.join(out, "input");
    const json = JSON.parse(await readFile(path.join(dir, "result.json"), "utf8")) as ObjectsResultJson;
    expect(json.width).toBe(192);
    expect(json.height).toBe(151);
    expect(json.pixelSize).toBeNull();
    expect(json.objects[0]!.physical).toBeUndefined();
    expect(json.objects[0]!.skeleton).toBeDefined();
    const csv = parseCsv(await readFile(path.join(dir, "objects.csv"), "utf8"));
    expect(csv.header.some((h) => /_(nm|um|mm)2?$/.test(h))).toBe(false);
    expect(csv.header).toContain("skeleton_branch_count");
  }, 60_000);

  test("the pixel size comes from the file's tags (FEI), scaled by --width", async () => {
    const width = 64;
    const samples = new Uint8Array(width * width).fill(30);
    for (let y = 20; y < 40; y++) samples.fill(220, y * width + 10, y * width + 30);
    const file = path.join(tmp, "fei.tif");
    await writeFile(
      file,
      encodeGreyTiff({ width, height: width, samples, textTags: [{ tag: 34682, text: FEI_TEXT }] }),
    );
    const out = path.join(tmp, "out-fei");
    expect(await run([file, "--out", out])).toBe(0);
    const full = JSON.parse(await readFile(path.join(out, "fei", "result.json"), "utf8")) as ObjectsResultJson;
    expect(full.pixelSize).toEqual({ value: 134.896, unit: "nm" });
    expect(full.count).toBe(1);
    expect(full.objects[0]!.area).toBe(400);
    expect(await run([file, "--out", `${out}-half`, "--width", "32"])).toBe(0);
    const half = JSON.parse(
      await readFile(path.join(`${out}-half`, "fei", "result.json"), "utf8"),
    ) as ObjectsResultJson;
    expect(half.pixelSize!.unit).toBe("nm");
    expect(half.pixelSize!.value).toBeCloseTo(269.792, 9);
    expect(await run([file, "--out", `${out}-given`, "--pixel-size", "1nm"])).toBe(0);
    const given = JSON.parse(
      await readFile(path.join(`${out}-given`, "fei", "result.json"), "utf8"),
    ) as ObjectsResultJson;
    expect(given.pixelSize).toEqual({ value: 1, unit: "nm" });
  }, 60_000);
});
