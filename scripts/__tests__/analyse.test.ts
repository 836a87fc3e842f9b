import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { decodeRaster } from "~/server/codecs/decode-raster";
import {
  REFERENCE_KS,
  fixtureDir,
  fixtureInput,
  readReferenceJson,
} from "~/core/analysis/__tests__/reference-fixtures";
import { run, type AnalyseResultJson } from "../cli/analyse";
import { cli } from "./cli-process";

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "ccc-cli-"));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe("cli analyze (spawned through tsx)", () => {
  test("bad inputs: one line each naming the file, exit 1, good images still processed", async () => {
    const coins = fixtureInput(fixtureDir("sk_coins")!);
    const good = await readFile(coins);
    const files = {
      missing: path.join(tmp, "missing.png"),
      text: path.join(tmp, "notes.png"),
      truncated: path.join(tmp, "truncated.png"),
      empty: path.join(tmp, "empty.png"),
    };
    await writeFile(files.text, "this is not an image\n");
    await writeFile(files.truncated, good.subarray(0, good.length >> 1));
    await writeFile(files.empty, new Uint8Array(0));
    const out = path.join(tmp, "out-bad");
    const { code, stderr } = await cli([
      "analyze",
      files.missing,
      coins,
      files.text,
      files.truncated,
      files.empty,
      "--out",
      out,
    ]);
    expect(code).toBe(1);
    const lines = stderr.split("\n").filter((l) => l.startsWith("error: "));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(`error: ${files.missing}: no such file`);
    expect(lines[1]).toBe(`error: ${files.text}: not an image or unsupported format`);
    expect(lines[2]).toBe(`error: ${files.truncated}: truncated or corrupt image`);
    expect(lines[3]).toBe(`error: ${files.empty}: empty file`);
    for (const name of ["gray.png", "segmented.png", "contrast_x20.png", "clusters_k3.png", "result.json"]) {
      expect(existsSync(path.join(out, "input", name))).toBe(true);
    }
  });

  test("unknown command prints usage and fails; bad usage exits 2", async () => {
    const unknown = await cli(["frobnicate"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    expect(unknown.stderr).toContain("analyze <image...>");
    const noOut = await cli(["analyze", "x.png"]);
    expect(noOut.code).toBe(2);
    const badK = await cli(["analyze", "x.png", "--out", tmp, "--k", "three"]);
    expect(badK.code).toBe(2);
  });
});

describe("cli analyze output against the reference (in-process run())", () => {
  test("sk_coins: files equal the reference's, result.json has the reference layout", async () => {
    const dir = fixtureDir("sk_coins")!;
    const out = path.join(tmp, "out-ref");
    const ks = REFERENCE_KS.flatMap((k) => ["--k", String(k)]);
    expect(await run([fixtureInput(dir), "--out", out, ...ks, "--seed", "1"])).toBe(0);
    const ours = path.join(out, "input");
    for (const name of ["gray.png", "segmented.png", "contrast_x20.png"]) {
      const a = await decodeRaster(await readFile(path.join(ours, name)));
      const b = await decodeRaster(await readFile(path.join(dir, name)));
      expect(a.channels).toBe(1);
      expect([a.width, a.height]).toEqual([b.width, b.height]);
      expect(Buffer.compare(Buffer.from(a.data), Buffer.from(b.data))).toBe(0);
    }
    const labels = await decodeRaster(await readFile(path.join(ours, "clusters_k3.png")));
    expect(new Set(labels.data)).toEqual(new Set([0, 1, 2]));

    const json = JSON.parse(await readFile(path.join(ours, "result.json"), "utf8")) as AnalyseResultJson;
    const ref = readReferenceJson(dir);
    expect(json.otsuThreshold).toBe(ref.otsu_threshold);
    for (const k of REFERENCE_KS) {
      const entry = json.kmeans[String(k)]!;
      expect(entry.centers).toHaveLength(k);
      expect(entry.areaPercent).toHaveLength(k);
      expect(entry.inertia).toBeLessThanOrEqual(ref.kmeans_inertia[String(k) as "2"] * 1.001);
    }
    expect(json.params).toMatchObject({ version: 1, ks: [...REFERENCE_KS], seed: 1 });
    expect(json.timingsMs.total).toBeGreaterThan(0);
  });
});
