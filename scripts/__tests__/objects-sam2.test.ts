/**
 * `npm run cli -- objects --method sam2` (spawned through tsx) with the probe model on the
 * committed test image: result.json holds exactly the masks SAM 2's own code gives
 * (tests/fixtures/sam2/amg-expected.json: count, order, bbox [x, y, w, h], area, point, COCO RLE,
 * scores), every mask whole; labels.png shows the higher-scoring mask where masks overlap;
 * objects.csv has the classical columns plus SAM's scores. Bad SAM options are refused (exit 2);
 * without any installed model the command says how to install one (exit 1).
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { cocoRleToMask, decodeCompressedCounts } from "~/core/regions/coco-rle";
import { decodeRaster } from "~/server/codecs/decode-raster";
import { SAM2_INSTALL_HINT } from "~/server/inference/sam2/sam2-registry";
import { cli } from "./cli-process";

const repoRoot = path.resolve(__dirname, "../..");
const FIXTURES = path.join(repoRoot, "tests/fixtures/sam2");
const IMAGE = path.join(FIXTURES, "images/discs-200x150.png");

type ExpectedRecord = {
  area: number;
  bbox: number[];
  predictedIou: number;
  stabilityScore: number;
  point: number[];
  rleString: string;
};
type ObjectJson = {
  id: number;
  bbox: number[];
  area: number;
  predictedIou: number;
  stabilityScore: number;
  point: number[];
  segmentation: { size: [number, number]; counts: string };
  equivalentDiameter: number;
};

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "ccc-sam2-cli-"));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe("cli objects --method sam2", () => {
  test("writes exactly SAM 2's masks with the probe model", { timeout: 120_000 }, async () => {
    const expected = JSON.parse(await readFile(path.join(FIXTURES, "amg-expected.json"), "utf8")) as {
      images: { image: string; records: ExpectedRecord[] }[];
    };
    const records = expected.images.find((i) => i.image === "images/discs-200x150.png")!.records;
    const out = path.join(tmp, "out");
    const { code, stdout, stderr } = await cli([
      "objects",
      IMAGE,
      "--method",
      "sam2",
      "--sam-model",
      path.join(FIXTURES, "probe"),
      "--points-per-side",
      "32",
      "--pred-iou-thresh",
      "0.8",
      "--stability-score-thresh",
      "0.95",
      "--box-nms-thresh",
      "0.7",
      "--out",
      out,
      "--json",
    ]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const summary = JSON.parse(stdout.trim().split("\n").at(-1)!) as { count: number; method: string };
    expect(summary).toMatchObject({ method: "sam2", count: records.length });

    const dir = path.join(out, "discs-200x150");
    const json = JSON.parse(await readFile(path.join(dir, "result.json"), "utf8")) as {
      width: number;
      height: number;
      count: number;
      model: { name: string; variant: string };
      objects: ObjectJson[];
    };
    expect([json.width, json.height, json.count]).toEqual([200, 150, records.length]);
    expect(json.model).toMatchObject({ name: "sam2-probe", variant: "probe" });
    json.objects.forEach((object, i) => {
      const want = records[i]!;
      expect(object.id).toBe(i + 1);
      expect(object.bbox).toEqual(want.bbox);
      expect(object.area).toBe(want.area);
      expect(object.point).toEqual(want.point);
      expect(object.segmentation).toEqual({ size: [150, 200], counts: want.rleString });
      expect(object.predictedIou).toBeCloseTo(want.predictedIou, 6);
      expect(object.stabilityScore).toBeCloseTo(want.stabilityScore, 6);
      expect(object.equivalentDiameter).toBeCloseTo(Math.sqrt((4 * want.area) / Math.PI), 9);
    });

    // labels.png: 16-bit, each pixel the covering mask with the highest predicted IoU.
    const raster = await decodeRaster(await readFile(path.join(dir, "labels.png")));
    expect([raster.width, raster.height, raster.channels, raster.bitDepth]).toEqual([200, 150, 1, 16]);
    const labels = raster.data;
    const masks = json.objects.map((o) => cocoRleToMask(decodeCompressedCounts(o.segmentation.counts), 200, 150));
    let overlapping = 0;
    for (let p = 0; p < labels.length; p++) {
      let best = 0;
      let covering = 0;
      masks.forEach((mask, i) => {
        if (!mask[p]) return;
        covering++;
        if (best === 0 || json.objects[i]!.predictedIou > json.objects[best - 1]!.predictedIou) best = i + 1;
      });
      if (covering > 1) overlapping++;
      expect(labels[p]).toBe(best);
    }
    expect(overlapping).toBeGreaterThan(0);

    const csv = (await readFile(path.join(dir, "objects.csv"), "utf8")).split("\r\n").filter(Boolean);
    expect(csv).toHaveLength(records.length + 1);
    expect(csv[0]!.split(",").slice(-4)).toEqual(["predicted_iou", "stability_score", "point_x", "point_y"]);
  });

  test.each([
    [["--points-per-side", "0"], /--points-per-side must be an integer >= 1/],
    [["--pred-iou-thresh", "2"], /--pred-iou-thresh: .*(<=|too big|1)/i],
    [["--h", "2"], /--h do not apply to --method sam2/],
  ])("refuses bad SAM options: %s", async (args, message) => {
    const { code, stderr } = await cli(["objects", IMAGE, "--method", "sam2", ...args, "--out", path.join(tmp, "bad")]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  test("refuses SAM options without --method sam2", async () => {
    const { code, stderr } = await cli(["objects", IMAGE, "--points-per-side", "8", "--out", path.join(tmp, "bad")]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--points-per-side only go with --method sam2/);
  });

  test("without any installed model, says how to install one", async () => {
    const previous = process.env.SAM2_MODELS_DIR;
    process.env.SAM2_MODELS_DIR = await mkdtemp(path.join(os.tmpdir(), "ccc-sam2-none-"));
    try {
      const { code, stderr } = await cli(["objects", IMAGE, "--method", "sam2", "--out", path.join(tmp, "none")]);
      expect(code).toBe(1);
      expect(stderr.trim()).toBe(`error: ${SAM2_INSTALL_HINT}`);
    } finally {
      if (previous === undefined) delete process.env.SAM2_MODELS_DIR;
      else process.env.SAM2_MODELS_DIR = previous;
    }
  });
});
