/**
 * The tiles classification mode (classifyTiles): aggregated logits are the tiles' weighted mean,
 * the stitched CAM is each tile's own CAM on its tile (normalised over the whole image), and one
 * tile at the centre-crop offsets is exactly the centre-crop classification.
 */
import { afterAll, describe, expect, it } from "vitest";
import { imageStatistics } from "~/core/analysis/uncertainty";
import { decodeRaster } from "~/server/codecs/decode-raster";
import { micrographPng } from "../../../../tests/helpers/micrograph";
import { classifyImages, classifyPlanes, classifyTiles } from "../classify";
import { softmax } from "../linear-head";
import { INPUT_SIZE } from "../onnx-contract";
import { centreCropOffset, preprocessRaster, preprocessTiles, resizedSize } from "../preprocess";
import { releaseModels } from "../session-cache";
import { fixtureModel } from "./fixtures";

afterAll(releaseModels);

const model = fixtureModel("tiny-visualcnn");

describe("classifyTiles", () => {
  it("averages the tiles' logits and stitches each tile's own CAM (tiles without overlap)", async () => {
    // 1024 x 614 resizes to 512 x 307; the analysed area's top 512 x 256 takes two tiles side by side.
    const raster = await decodeRaster(await micrographPng(5, { width: 1024, height: 614, particles: 14 }));
    expect(resizedSize(raster.width, raster.height)).toEqual({ width: 512, height: 307 });
    const area = { left: 0, top: 0, width: 512, height: 256 };
    const { result } = await classifyTiles({ model, raster, area, cam: "predicted" });
    expect(result.tiles.map((t) => [t.left, t.top, t.weight])).toEqual([
      [0, 0, 65536],
      [256, 0, 65536],
    ]);
    const [l0, l1] = result.tileLogits as [number[], number[]];
    result.logits.forEach((v, c) => expect(v).toBeCloseTo((l0[c]! + l1[c]!) / 2, 6));
    expect(result.probabilities).toEqual(Array.from(softmax(result.logits)));

    const { planes } = preprocessTiles(raster, area);
    const alone = await classifyPlanes({ model, planes, cam: { classIndex: result.classIndex } });
    alone.results.forEach((tile, t) => {
      expect(tile.probabilities).toEqual(Array.from(softmax(result.tileLogits[t]!)));
    });
    // Each tile's region of the stitched map is the tile's own CAM times (its peak / the overall peak).
    const scales = result.tiles.map((tile, t) => {
      const own = alone.results[t]!.cam!;
      const region = new Float32Array(INPUT_SIZE * INPUT_SIZE);
      for (let y = 0; y < INPUT_SIZE; y++)
        for (let x = 0; x < INPUT_SIZE; x++)
          region[y * INPUT_SIZE + x] = result.cam![(tile.top + y) * result.width + tile.left + x]!;
      let peak = 0;
      own.forEach((v, i) => {
        if (v > own[peak]!) peak = i;
      });
      const scale = region[peak]! / own[peak]!;
      own.forEach((v, i) => expect(region[i]!).toBeCloseTo(v * scale, 5));
      return scale;
    });
    expect(Math.max(...scales)).toBeCloseTo(1, 6);
    expect(result.cam!.length).toBe(512 * 307);
  });

  it("with one tile at the centre-crop offsets gives exactly the centre-crop classification", async () => {
    const raster = await decodeRaster(await micrographPng(6, { width: 700, height: 300, particles: 12 }));
    const { width, height } = resizedSize(raster.width, raster.height);
    const area = {
      left: centreCropOffset(width, INPUT_SIZE),
      top: centreCropOffset(height, INPUT_SIZE),
      width: INPUT_SIZE,
      height: INPUT_SIZE,
    };
    const tiled = preprocessTiles(raster, area);
    expect(tiled.planes).toHaveLength(1);
    expect(tiled.planes[0]).toEqual(preprocessRaster(raster));

    const { result } = await classifyTiles({ model, raster, area, cam: "predicted" });
    const crop = (await classifyImages({ model, images: [{ name: "a", raster }], cam: "predicted" })).results[0]!;
    if (!crop.ok) throw new Error(crop.error);
    expect(result.probabilities).toEqual(crop.probabilities);
    expect(result.classIndex).toBe(crop.classIndex);
    // The OOD score's inputs too: the pooled features and the input plane's statistics.
    expect(Array.from(result.pooledFeatures)).toEqual(Array.from(crop.pooledFeatures));
    expect(result.planeStatistics).toEqual(imageStatistics(crop.crop, INPUT_SIZE));
    for (let y = 0; y < INPUT_SIZE; y++)
      for (let x = 0; x < INPUT_SIZE; x++)
        expect(result.cam![(area.top + y) * width + area.left + x]).toBe(crop.cam![y * INPUT_SIZE + x]);
  });

  it("covers the whole resized image by default", async () => {
    const raster = await decodeRaster(await micrographPng(7, { width: 640, height: 480, particles: 10 }));
    const { result } = await classifyTiles({ model, raster, cam: { classIndex: 1 } });
    expect([result.width, result.height]).toEqual([409, 307]);
    expect(result.tiles).toHaveLength(4);
    expect(result.camClassIndex).toBe(1);
    expect(result.cam!.length).toBe(409 * 307);
    expect(result.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });
});
