import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { encodeCompressedCounts } from "~/core/regions/coco-rle";
import { SAM2_AMG_DEFAULTS } from "../amg-params";
import {
  generateSam2Masks,
  generateSam2MasksStepwise,
  type Sam2AmgProgress,
  type Sam2PromptBatch,
} from "../automatic-mask-generator";
import { drawDiscs, probeDecode, probeImageEmbed } from "./probe-model";

/** Written by scripts/reference/sam2_amg_probe.py: SAM 2's AMG steps (torch) over the probe decoder. */
type Expected = {
  params: Record<string, number | boolean>;
  images: {
    image: string;
    width: number;
    height: number;
    discs: [number, number, number][];
    filterCounts: {
      candidates: number;
      removedByIou: number;
      removedByStability: number;
      removedByEdge: number;
      removedByNms: number;
    };
    records: {
      area: number;
      bbox: [number, number, number, number];
      predictedIou: number;
      stabilityScore: number;
      point: [number, number];
      cropBox: [number, number, number, number];
      rleSize: [number, number];
      rleString: string;
    }[];
  }[];
};

const fixture = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../../tests/fixtures/sam2/amg-expected.json",
);
const expected = JSON.parse(readFileSync(fixture, "utf8")) as Expected;

function probeFor(image: Expected["images"][number]) {
  const grey = drawDiscs(image.width, image.height, image.discs);
  const embed = probeImageEmbed(grey, image.width, image.height);
  return (batch: Sam2PromptBatch) => probeDecode(embed, batch);
}

describe("automatic mask generator with the probe decoder", () => {
  test("the fixture was made with the defaults", () => {
    expect(expected.params).toMatchObject({
      pointsPerSide: SAM2_AMG_DEFAULTS.pointsPerSide,
      pointsPerBatch: SAM2_AMG_DEFAULTS.pointsPerBatch,
      predIouThresh: SAM2_AMG_DEFAULTS.predIouThresh,
      stabilityScoreThresh: SAM2_AMG_DEFAULTS.stabilityScoreThresh,
      stabilityScoreOffset: SAM2_AMG_DEFAULTS.stabilityScoreOffset,
      maskThreshold: SAM2_AMG_DEFAULTS.maskThreshold,
      boxNmsThresh: SAM2_AMG_DEFAULTS.boxNmsThresh,
    });
  });

  test.each(expected.images)("$image: the same masks, in the same order, as SAM 2's steps", async (image) => {
    const { records, stats } = await generateSam2Masks({
      width: image.width,
      height: image.height,
      decode: probeFor(image),
    });
    expect(stats).toEqual(image.filterCounts);
    // Each filter really removes something, so the fixture exercises all of them.
    expect(stats.removedByIou).toBeGreaterThan(0);
    expect(stats.removedByStability).toBeGreaterThan(0);
    expect(stats.removedByNms).toBeGreaterThan(0);
    expect(records).toHaveLength(image.records.length);
    records.forEach((record, i) => {
      const want = image.records[i]!;
      expect(record.bbox).toEqual(want.bbox);
      expect(record.area).toBe(want.area);
      expect(record.point).toEqual(want.point);
      expect(record.cropBox).toEqual(want.cropBox);
      expect(record.segmentation.size).toEqual(want.rleSize);
      expect(encodeCompressedCounts(record.segmentation.counts)).toBe(want.rleString);
      expect(record.predictedIou).toBeCloseTo(want.predictedIou, 6);
      expect(record.stabilityScore).toBeCloseTo(want.stabilityScore, 6);
    });
  });

  test("the stepwise form reports progress once per batch of 64 and returns the same result", async () => {
    const image = expected.images[0]!;
    const steps = generateSam2MasksStepwise({ width: image.width, height: image.height, decode: probeFor(image) });
    const progress: Sam2AmgProgress[] = [];
    let step = await steps.next();
    while (!step.done) {
      progress.push(step.value);
      step = await steps.next();
    }
    expect(progress.map((p) => p.pointsDone)).toEqual(Array.from({ length: 16 }, (_, i) => 64 * (i + 1)));
    expect(progress.every((p) => p.pointsTotal === 1024)).toBe(true);
    expect(step.value.records).toHaveLength(image.records.length);
  });

  test("sends 1024-frame float32 points, one positive point per prompt, in batches of pointsPerBatch", async () => {
    const image = expected.images[1]!;
    const decode = probeFor(image);
    const seen: Sam2PromptBatch[] = [];
    await generateSam2Masks({
      width: image.width,
      height: image.height,
      params: { pointsPerSide: 5, pointsPerBatch: 10 },
      decode: async (batch) => {
        seen.push(batch);
        return decode(batch);
      },
    });
    expect(seen.map((b) => b.count)).toEqual([10, 10, 5]);
    expect(Array.from(seen[0]!.pointLabels)).toEqual(new Array(10).fill(1));
    // Grid x = (i + 0.5) / 5 of the width, in the frame (i + 0.5) / 5 * 1024.
    expect(Array.from(seen[0]!.pointCoords.slice(0, 4))).toEqual([102.4, 102.4, 307.2, 102.4].map(Math.fround));
  });

  test("a cancelled run stops calling the decoder", async () => {
    const image = expected.images[0]!;
    const decode = probeFor(image);
    let calls = 0;
    const steps = generateSam2MasksStepwise({
      width: image.width,
      height: image.height,
      decode: (batch) => {
        calls++;
        return decode(batch);
      },
    });
    await steps.next();
    await steps.next();
    await steps.return(undefined as never);
    expect(calls).toBe(2);
  });

  test("refuses decoder output of the wrong shape and bad parameters", async () => {
    const width = 50;
    const height = 40;
    await expect(
      generateSam2Masks({
        width,
        height,
        decode: (batch) => ({
          masks: new Float32Array(batch.count * 3 * 100),
          iouPredictions: new Float32Array(batch.count * 2 + 1),
        }),
      }),
    ).rejects.toThrow(RangeError);
    await expect(
      generateSam2Masks({
        width,
        height,
        decode: (batch) => ({
          masks: new Float32Array(batch.count * 3 * 99),
          iouPredictions: new Float32Array(batch.count * 3),
        }),
      }),
    ).rejects.toThrow(/square planes/);
    await expect(
      generateSam2Masks({
        width,
        height,
        params: { boxNmsThresh: 2 },
        decode: () => ({ masks: new Float32Array(), iouPredictions: new Float32Array() }),
      }),
    ).rejects.toThrow();
    await expect(
      generateSam2Masks({
        width: 0,
        height,
        decode: () => ({ masks: new Float32Array(), iouPredictions: new Float32Array() }),
      }),
    ).rejects.toThrow(RangeError);
  });

  test("turning the filters off keeps every non-duplicate candidate (threshold 0 means off, as in SAM)", async () => {
    const image = expected.images[0]!;
    const { stats } = await generateSam2Masks({
      width: image.width,
      height: image.height,
      params: { predIouThresh: 0, stabilityScoreThresh: 0 },
      decode: probeFor(image),
    });
    expect(stats.removedByIou).toBe(0);
    expect(stats.removedByStability).toBe(0);
    expect(stats.candidates).toBe(3072);
  });
});
