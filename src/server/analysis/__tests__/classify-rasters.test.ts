/**
 * The classification stage in batches (classifyRasters): every image's outcome, its class
 * activation map included, is exactly the one it gets alone; an image the classifier cannot
 * prepare fails on its own.
 */
import { existsSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import type { Raster } from "~/core/analysis/raster";
import { decodeRaster } from "~/server/codecs/decode-raster";
import { releaseModels, resolveModelPath } from "~/server/inference/session-cache";
import { micrographPng } from "../../../../tests/helpers/micrograph";
import { fixtureModel } from "../../inference/__tests__/fixtures";
import { classifyRasters } from "../classify-raster";
import { ImageAnalysisError } from "../image-analysis-error";

afterAll(releaseModels);

async function micrographs(): Promise<Raster[]> {
  return Promise.all(
    [
      { width: 1024, height: 768 },
      { width: 300, height: 500 },
      { width: 640, height: 480 },
      { width: 512, height: 512 },
      { width: 700, height: 300 },
    ].map(async (size, i) => decodeRaster(await micrographPng(i + 3, { ...size, particles: 12 }))),
  );
}

const shipped = resolveModelPath();
const models = [fixtureModel("tiny-visualcnn"), ...(existsSync(shipped) ? [shipped] : [])];

describe.each(models)("classifyRasters with %s", (model) => {
  it("gives each image of a batch exactly its single-image outcome, CAM included", async () => {
    const rasters = await micrographs();
    for (const camClass of ["predicted", 1] as const) {
      const alone = await Promise.all(
        rasters.map(async (raster) => (await classifyRasters({ rasters: [raster], model, camClass }))[0]),
      );
      for (const batchSize of [4, 8]) {
        const batched = await classifyRasters({ rasters, model, camClass, batchSize });
        expect(batched).toHaveLength(rasters.length);
        batched.forEach((outcome, i) => expect(outcome).toEqual(alone[i]));
      }
      expect(
        alone.every((outcome) => !(outcome instanceof ImageAnalysisError) && outcome?.status === "classified"),
      ).toBe(true);
    }
  });

  it("classifies by tiles as an option; the explicit centre-crop mode is the default", async () => {
    const rasters = (await micrographs()).slice(0, 2);
    expect(await classifyRasters({ rasters, model, classification: "centre-crop" })).toEqual(
      await classifyRasters({ rasters, model }),
    );
    const tiled = await classifyRasters({ rasters, model, classification: "tiles" });
    tiled.forEach((outcome) => {
      if (outcome instanceof ImageAnalysisError || outcome.status !== "classified") throw new Error("not classified");
      // The CAM covers the whole image resized to the model's scale (shorter side 307).
      expect(Math.min(outcome.cam!.width, outcome.cam!.height)).toBe(307);
      expect(outcome.cam!.data.length).toBe(outcome.cam!.width * outcome.cam!.height);
      expect(Object.values(outcome.probabilities).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    });
  });

  it("fails an image it cannot prepare on its own", async () => {
    const rasters = await micrographs();
    const broken: Raster = { width: 10, height: 10, channels: 1, bitDepth: 8, data: new Uint8Array(7) };
    const outcomes = await classifyRasters({ rasters: [rasters[0]!, broken, rasters[1]!], model });
    expect(outcomes[1]).toBeInstanceOf(ImageAnalysisError);
    expect((outcomes[1] as ImageAnalysisError).reason).toBe("unreadable");
    expect(outcomes[0]).toEqual((await classifyRasters({ rasters: [rasters[0]!], model }))[0]);
    expect(outcomes[2]).toEqual((await classifyRasters({ rasters: [rasters[1]!], model }))[0]);
  });
});

describe("classifyRasters without a classifier", () => {
  it("skips every image with the reason", async () => {
    const rasters = await micrographs();
    const outcomes = await classifyRasters({ rasters: rasters.slice(0, 2), model: null });
    expect(outcomes).toEqual([
      { status: "skipped", reason: "classification not requested" },
      { status: "skipped", reason: "classification not requested" },
    ]);
  });
});
