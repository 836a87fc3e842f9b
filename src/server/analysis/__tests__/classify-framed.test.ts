/**
 * The tiles mode over an analysed area, on a non-square image with a data bar: the tiles stay
 * inside the area in the resized frame, nothing of the bar reaches the classification or the CAM,
 * the numbers are classifyTiles' over that area, and the CAM is the area's, framed over it. The
 * centre-crop mode keeps the reference's numbers and is framed on the centre crop.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { Raster } from "~/core/analysis/raster";
import { decodeRaster } from "~/server/codecs/decode-raster";
import { classifyImages, classifyTiles } from "~/server/inference/classify";
import { DESCRIPTOR_NAMES, DESCRIPTOR_SET_VERSION } from "~/core/descriptors/image-descriptors";
import type { LinearHead } from "~/server/inference/linear-head";
import { getModel, releaseModels } from "~/server/inference/session-cache";
import { micrographPng, withDataBar } from "../../../../tests/helpers/micrograph";
import { fixtureModel } from "../../inference/__tests__/fixtures";
import { centreCropFrame, frameOfResizedRect, storedFrame, tiledAreaInResized } from "../cam-frame";
import { classifyTiledRaster } from "../classify-framed";
import { classifyRasters } from "../classify-raster";
import { ImageAnalysisError } from "../image-analysis-error";

afterAll(releaseModels);

const model = fixtureModel("tiny-visualcnn");
const WIDTH = 1000;
const HEIGHT = 740;
const BAR_ROWS = 56;
const area = { x: 0, y: 0, width: WIDTH, height: HEIGHT - BAR_ROWS };

/** The micrograph with a data bar (two seeds: two different bars under the same image). */
async function withBar(seed: number): Promise<Raster> {
  const png = await micrographPng(11, { width: WIDTH, height: HEIGHT, particles: 40 });
  return decodeRaster(await withDataBar(png, BAR_ROWS, seed));
}

describe("the tiles mode over an analysed area", () => {
  it("covers the area only, with classifyTiles' numbers, whatever the data bar shows", async () => {
    const raster = await withBar(1);
    const rect = tiledAreaInResized(area, raster);
    expect(rect).toEqual({ left: 0, top: 0, width: 414, height: 283 });

    const tiled = await classifyTiledRaster({ backbonePath: model, raster, analysedArea: area, cam: "predicted" });
    // 414 x 283 takes 2 x 2 tiles, all inside the area's 283 rows.
    expect(tiled.result.tiles.map((t) => [t.left, t.top])).toEqual([
      [0, 0],
      [158, 0],
      [0, 27],
      [158, 27],
    ]);
    for (const tile of tiled.result.tiles) expect(tile.top + tile.height).toBeLessThanOrEqual(rect.height);
    const direct = await classifyTiles({ model, raster, area: rect, cam: "predicted" });
    expect(tiled.result.probabilities).toEqual(direct.result.probabilities);
    expect(tiled.cam).toMatchObject({ width: 414, height: 283, frame: storedFrame(frameOfResizedRect(rect, raster)) });
    expect(tiled.cam!.data).toHaveLength(414 * 283);

    // Another data bar: the same numbers and CAM. Without the area, the bar is classified too.
    const otherBar = await withBar(2);
    const again = await classifyTiledRaster({
      backbonePath: model,
      raster: otherBar,
      analysedArea: area,
      cam: "predicted",
    });
    expect(again.result.probabilities).toEqual(tiled.result.probabilities);
    expect(again.cam!.data).toEqual(tiled.cam!.data);
    const whole = async (r: Raster) =>
      (await classifyTiledRaster({ backbonePath: model, raster: r, analysedArea: null, cam: "none" })).result;
    const [wholeOne, wholeTwo] = [await whole(raster), await whole(otherBar)];
    expect(wholeOne.tiles.some((t) => t.top + t.height > rect.height)).toBe(true);
    expect(wholeOne.probabilities).not.toEqual(wholeTwo.probabilities);
  });

  it("is what classifyRasters gives in the tiles mode; the centre crop keeps the reference's numbers", async () => {
    const raster = await withBar(1);
    const [tiles] = await classifyRasters({
      rasters: [raster],
      model,
      classification: "tiles",
      analysedAreas: [area],
    });
    if (!tiles || tiles instanceof ImageAnalysisError || tiles.status !== "classified")
      throw new Error("not classified");
    const alone = await classifyTiledRaster({ backbonePath: model, raster, analysedArea: area, cam: "predicted" });
    // The tiny model has no calibration: the probabilities are the aggregated softmax.
    expect(Object.values(tiles.probabilities)).toEqual(alone.result.probabilities);
    expect(tiles.cam).toEqual(alone.cam);

    const [crop] = await classifyRasters({ rasters: [raster], model, analysedAreas: [area] });
    if (!crop || crop instanceof ImageAnalysisError || crop.status !== "classified") throw new Error("not classified");
    const reference = (await classifyImages({ model, images: [{ name: "a", raster }], cam: "predicted" })).results[0]!;
    if (!reference.ok) throw new Error(reference.error);
    expect(Object.values(crop.probabilities)).toEqual(reference.probabilities);
    expect(crop.cam).toMatchObject({ width: 256, height: 256, frame: storedFrame(centreCropFrame(raster)) });
  });

  it("fails an image whose analysed area does not fit it, alone", async () => {
    const raster = await withBar(1);
    const outcomes = await classifyRasters({
      rasters: [raster, raster],
      model,
      classification: "tiles",
      analysedAreas: [{ x: 0, y: 0, width: WIDTH, height: HEIGHT + 1 }, null],
    });
    expect(outcomes[0]).toBeInstanceOf(ImageAnalysisError);
    expect(outcomes[1]).toMatchObject({ status: "classified", cam: { width: 414, height: 307 } });
  });

  it("gives a head that also reads descriptors the tiles' pooled features and the area's CAM", async () => {
    const raster = await withBar(1);
    const own = (await getModel(model)).head;
    const channels = own.weights[0]!.length;
    // A "both" head whose descriptor weights are 0: its logits are the network's own, so its tiled
    // classification must be the tiles' (pooled features averaged = logits averaged: the head is linear).
    const both: LinearHead = {
      classes: [...own.classes],
      weights: own.weights.map((row) => Float32Array.from([...row, ...DESCRIPTOR_NAMES.map(() => 0)])),
      bias: Float32Array.from(own.bias),
    };
    const spec = {
      ref: "version:both",
      backbonePath: model,
      modelVersionId: "both",
      head: both,
      headFeatures: {
        features: "both" as const,
        cnnChannels: channels,
        descriptorSet: { version: DESCRIPTOR_SET_VERSION, names: [...DESCRIPTOR_NAMES] },
        standardiser: { mean: [], scale: [] },
        validation: "grouped-k-fold" as const,
      },
    };
    const [outcome] = await classifyRasters({
      rasters: [raster],
      model: spec,
      classification: "tiles",
      analysedAreas: [area],
    });
    if (!outcome || outcome instanceof ImageAnalysisError || outcome.status !== "classified")
      throw new Error("not classified");
    const tiled = await classifyTiledRaster({ backbonePath: model, raster, analysedArea: area, cam: "predicted" });
    Object.values(outcome.probabilities).forEach((p, c) => expect(p).toBeCloseTo(tiled.result.probabilities[c]!, 6));
    expect(outcome.classIndex).toBe(tiled.result.classIndex);
    expect(outcome.cam).toEqual(tiled.cam);
  });
});
