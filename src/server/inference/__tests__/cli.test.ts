import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import sharp from "sharp";
import { afterEach, describe, expect, it, vi } from "vitest";

import { encodePng } from "~/server/codecs/encode-png";

import { run as classify } from "../../../../scripts/cli/classify";
import { parseLabelsCsv, run as retrain } from "../../../../scripts/cli/retrain";
import { camInput, fixtureModel } from "./fixtures";

afterEach(() => vi.restoreAllMocks());

function captureStdout(): () => string {
  const lines: string[] = [];
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => lines.push(args.join(" ")));
  vi.spyOn(console, "error").mockImplementation(() => undefined);
  return () => lines.join("\n");
}

async function labelledFolder(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), "vccc-cli-"));
  const { bytes } = camInput();
  const rows = ["file,label,group"];
  for (let i = 0; i < 12; i++) {
    const invert = i % 2 === 1;
    const data = Uint8Array.from(bytes, (v, j) => Math.min(255, (invert ? 255 - v : v) + ((j + i) % 7)));
    writeFileSync(path.join(dir, `img${i}.png`), await encodePng(data, 256, 256, 1));
    rows.push(`img${i}.png,${invert ? "spherical" : "dendritic"},source${Math.floor(i / 2)}`);
  }
  writeFileSync(path.join(dir, "labels.csv"), `${rows.join("\n")}\n`);
  return dir;
}

describe("labels CSV", () => {
  it("accepts an optional header, quotes and 2 or 3 fields", () => {
    expect(parseLabelsCsv('file,label,group\na.png,dendritic\n"b, c.png",spherical,g1\n')).toEqual([
      { file: "a.png", label: "dendritic" },
      { file: "b, c.png", label: "spherical", group: "g1" },
    ]);
  });

  it("names the line of a bad row", () => {
    expect(() => parseLabelsCsv("a.png,dendritic\nb.png\n")).toThrow(/line 2/);
    expect(() => parseLabelsCsv("a.png,\n")).toThrow(/line 1: empty label/);
  });
});

describe("cli retrain --json", () => {
  it("prints the metrics contract and writes a head that classify --head uses", async () => {
    const dir = await labelledFolder();
    const out = path.join(dir, "out");
    const stdout = captureStdout();
    const code = await retrain([
      "--labels",
      path.join(dir, "labels.csv"),
      "--folds",
      "3",
      "--json",
      "--out",
      out,
      "--model",
      fixtureModel("tiny-visualcnn"),
      "--cache-dir",
      path.join(dir, "cache"),
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout()) as {
      weightedAccuracy: number;
      weightedF1: number;
      confusionMatrix: number[][];
      classes: string[];
      n: number;
    };
    expect(report.classes).toEqual(["dendritic", "spherical"]);
    expect(report.n).toBe(12);
    expect(report.confusionMatrix.flat().reduce((a, b) => a + b, 0)).toBe(12);
    expect(report.weightedAccuracy).toBeGreaterThanOrEqual(0);
    expect(report.weightedF1).toBeLessThanOrEqual(1);
    expect(JSON.parse(readFileSync(path.join(out, "head.json"), "utf8"))).toMatchObject({
      kind: "visual-ccc/linear-head",
      classes: ["dendritic", "spherical"],
    });

    vi.restoreAllMocks();
    const classifyOut = captureStdout();
    const classified = await classify([
      path.join(dir, "img0.png"),
      path.join(dir, "missing.png"),
      "--model",
      fixtureModel("tiny-visualcnn"),
      "--head",
      path.join(out, "head.json"),
      "--json",
      "--out",
      out,
    ]);
    expect(classified).toBe(1); // one missing file
    const result = JSON.parse(classifyOut()) as {
      results: { ok: boolean; class?: string; cam?: string; probabilities?: Record<string, number> }[];
    };
    expect(result.results).toHaveLength(2);
    expect(Object.keys(result.results[0]?.probabilities ?? {})).toEqual(["dendritic", "spherical"]);
    expect(result.results[0]?.cam).toMatch(/img0\.cam\.png$/);
    expect(result.results[1]?.ok).toBe(false);
  });
});

describe("cli classify --classification", () => {
  it("classifies the whole image by tiles by default, the centre crop as the paper on request", async () => {
    const dir = await labelledFolder();
    const image = path.join(dir, "img0.png");
    const run = async (...flags: string[]) => {
      vi.restoreAllMocks();
      const stdout = captureStdout();
      const out = path.join(dir, `out-${flags.join("") || "default"}`);
      const code = await classify([image, "--model", fixtureModel("tiny-visualcnn"), "--json", "--out", out, ...flags]);
      const report = JSON.parse(stdout()) as {
        results: { classification: string; tiles?: number; cam: string; probabilities: Record<string, number> }[];
      };
      const row = report.results[0]!;
      const { width, height } = await sharp(readFileSync(row.cam)).metadata();
      return { code, row, camSize: [width, height] };
    };
    // 256 x 256 resizes to 307 x 307: four tiles, and the CAM covers all of it.
    const tiles = await run();
    expect(tiles.code).toBe(0);
    expect(tiles.row).toMatchObject({ classification: "tiles", tiles: 4 });
    expect(tiles.camSize).toEqual([307, 307]);
    expect(await run("--classification", "tiles", "--whole-image")).toMatchObject({ row: { tiles: 4 } });

    const crop = await run("--classification", "centre-crop");
    expect(crop.row.classification).toBe("centre-crop");
    expect(crop.camSize).toEqual([256, 256]);
    expect(crop.row.probabilities).not.toEqual(tiles.row.probabilities);

    vi.restoreAllMocks();
    captureStdout();
    expect(await classify([image, "--classification", "whole"])).toBe(2);
  });
});
