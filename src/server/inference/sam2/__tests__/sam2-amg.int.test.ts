/**
 * Automatic mask generation with the probe model, end to end with real sharp (decode), our SAM 2
 * preprocessing, real ONNX Runtime (encoder and decoder) and the pure generator, compared with the
 * expected output that scripts/reference/sam2_amg_probe.py computed with torch following SAM 2's
 * own code (tests/fixtures/sam2/amg-expected.json): the same number of masks, in the same order,
 * with the same boxes, areas, points and COCO RLE, and predicted IoU and stability score within
 * the file's tolerances. Then through the service with the embedded database: the ObjectSet of
 * method "sam2" holds those masks as objects (same order, areas and SAM numbers, every one with
 * the classical descriptors), its label map shows the higher-scoring mask where masks overlap, and
 * a second request reuses the stored set.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { SAM2_AMG_DEFAULTS } from "~/core/sam2/amg-params";
import { decodeRaster } from "~/server/codecs/decode-raster";
import { db } from "~/server/db";
import { labelsFromRgba } from "~/server/objects/object-set-labels";
import { requestSam2ObjectSet } from "~/server/objects/request-sam2-object-set";
import type { Sam2StoredObject } from "~/server/objects/compute-sam2-object-set";
import { cocoRleToMask, encodeCompressedCounts } from "~/core/regions/coco-rle";
import { readObjectRecords } from "~/server/objects/read-object-records";
import { blobStore } from "~/server/storage";
import { seedProjectWithDataset, seedStoredImageRow } from "../../../../../tests/helpers/project-images";
import { embeddingTensors } from "../sam2-contract";
import { computeSam2Embedding } from "../sam2-embedding";
import { generateSam2Masks } from "../generate-sam2-masks";
import { getSam2Model } from "../sam2-model";
import { findReadySam2Model } from "../sam2-registry";
import type { ReadySam2Model } from "../ensure-sam2-embedding";
import { SAM2_FIXTURES, installProbeForFile } from "./sam2-fixtures";

type ExpectedRecord = {
  area: number;
  bbox: [number, number, number, number];
  predictedIou: number;
  stabilityScore: number;
  point: [number, number];
  rleSize: [number, number];
  rleString: string;
};
type Expected = {
  params: Record<string, unknown>;
  tolerances: { predictedIou: number; stabilityScore: number };
  images: {
    image: string;
    width: number;
    height: number;
    filterCounts: Record<string, number>;
    records: ExpectedRecord[];
  }[];
};
const expected = JSON.parse(readFileSync(path.join(SAM2_FIXTURES, "amg-expected.json"), "utf8")) as Expected;

const probe = installProbeForFile();

describe("automatic mask generation with the probe model", () => {
  it("runs with the reference's parameters, which are the defaults", () => {
    for (const [name, value] of Object.entries(SAM2_AMG_DEFAULTS)) expect(expected.params[name], name).toBe(value);
  });

  it.each(expected.images.map((image) => [image.image, image] as const))(
    "gives exactly the expected masks on %s",
    async (_, image) => {
      const model = await getSam2Model(path.join(probe.modelsDir(), "probe"));
      const raster = await decodeRaster(readFileSync(path.join(SAM2_FIXTURES, image.image)));
      expect([raster.width, raster.height]).toEqual([image.width, image.height]);
      const { stored } = await computeSam2Embedding(model, raster);
      const generated = await generateSam2Masks({
        model,
        tensors: embeddingTensors(stored.embedding),
        width: raster.width,
        height: raster.height,
        params: {},
      });
      const { emptyMasks, ...counts } = generated.stats;
      expect(emptyMasks).toBe(0);
      expect(counts).toEqual(image.filterCounts);
      expect(generated.masks).toHaveLength(image.records.length);
      generated.masks.forEach((mask, i) => {
        const want = image.records[i]!;
        expect(mask.area, `mask ${i} area`).toBe(want.area);
        expect(mask.bbox, `mask ${i} bbox`).toEqual(want.bbox);
        expect(mask.point, `mask ${i} point`).toEqual(want.point);
        expect(mask.rle.size).toEqual(want.rleSize);
        expect(encodeCompressedCounts(mask.rle.counts), `mask ${i} RLE`).toBe(want.rleString);
        expect(Math.abs(mask.predictedIou - want.predictedIou)).toBeLessThanOrEqual(expected.tolerances.predictedIou);
        expect(Math.abs(mask.stabilityScore - want.stabilityScore)).toBeLessThanOrEqual(
          expected.tolerances.stabilityScore,
        );
        // The box the object is measured in holds exactly the RLE's pixels.
        expect(mask.pixels.reduce((a, b) => a + b, 0)).toBe(want.area);
      });
      expect(generated.timingsMs.decoder).toBeGreaterThan(0);
    },
  );

  it("stores the masks as an ObjectSet of method sam2 with descriptors, reused on a second request", async () => {
    const image = expected.images[1]!;
    const bytes = readFileSync(path.join(SAM2_FIXTURES, image.image));
    const { project, users, dataset } = await seedProjectWithDataset(db, { annotator: "ANNOTATOR" }, "sam2");
    const row = await seedStoredImageRow(db, {
      projectId: project.id,
      datasetId: dataset.id,
      fileName: path.basename(image.image),
      bytes,
      format: "png",
      width: image.width,
      height: image.height,
      channels: 1,
    });
    const model = (await findReadySam2Model("probe")) as ReadySam2Model;
    const request = () =>
      requestSam2ObjectSet({
        db,
        store: blobStore(),
        projectId: project.id,
        actorId: users.annotator!.id,
        imageId: row.id,
        model,
        params: SAM2_AMG_DEFAULTS,
      });
    const set = await request();
    expect(set).toMatchObject({
      method: "sam2",
      count: image.records.length,
      width: image.width,
      height: image.height,
    });
    const objects = set.objects as unknown as Sam2StoredObject[];
    expect(objects.map((o) => o.label)).toEqual(image.records.map((_, i) => i + 1));
    objects.forEach((object, i) => {
      const want = image.records[i]!;
      expect(object.area).toBe(want.area);
      expect(object.predicted_iou).toBeCloseTo(want.predictedIou, 6);
      expect(encodeCompressedCounts(object.rle.counts)).toBe(want.rleString);
      // skimage's bbox [min_row, min_col, max_row, max_col) against SAM's [x, y, x1 - x0, y1 - y0].
      expect(object.bbox).toEqual([
        want.bbox[1],
        want.bbox[0],
        want.bbox[1] + want.bbox[3] + 1,
        want.bbox[0] + want.bbox[2] + 1,
      ]);
      for (const field of [
        "perimeter",
        "equivalent_diameter",
        "eccentricity",
        "solidity",
        "feret_diameter_max",
      ] as const) {
        expect(Number.isFinite(object[field]), `${field} of object ${i + 1}`).toBe(true);
      }
    });
    expect(set.imageStats).toMatchObject({ count: image.records.length });
    const stored = await db.objectSet.findUniqueOrThrow({ where: { id: set.id } });
    const all = await readObjectRecords({ ...stored, objects: [] }, blobStore());
    expect(all.map((o) => o.area)).toEqual(image.records.map((r) => r.area));

    // Label map: each pixel shows the mask with the highest predicted IoU among those covering it.
    const { data } = await sharp(await blobStore().get(stored.labelMapKey))
      .raw()
      .toBuffer({ resolveWithObject: true });
    const labels = labelsFromRgba(data);
    const masks = objects.map((o) => cocoRleToMask(o.rle.counts, image.width, image.height));
    for (let p = 0; p < labels.length; p += 7) {
      let best = 0;
      masks.forEach((mask, i) => {
        if (mask[p] && (best === 0 || objects[i]!.predicted_iou > objects[best - 1]!.predicted_iou)) best = i + 1;
      });
      expect(labels[p], `pixel ${p}`).toBe(best);
    }

    const again = await request();
    expect(again.id).toBe(set.id);
    expect(await db.objectSet.count({ where: { imageId: row.id, method: "sam2" } })).toBe(1);
  });
});
