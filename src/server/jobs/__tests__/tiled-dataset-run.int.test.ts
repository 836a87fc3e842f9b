/**
 * The classification mode a settings version pins reaches every image of a dataset run, through
 * the real queue, worker threads, ONNX Runtime and sharp: under "tiles" each stored analysis
 * covers the image's analysed area (its data bar left out) with classifyTiles' numbers and a CAM
 * framed over that area; under "centre-crop", and under a version saved before the option (no
 * field), the analysis is today's centre crop, numbers and parameter hash included.
 */
import { text } from "node:stream/consumers";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ANALYSIS_SETTINGS } from "~/core/settings/analysis-settings";
import { analysisMapKeysSchema, storedAnalysisParamsSchema } from "~/server/analysis/analysis-record";
import { centreCropFrame, frameOfResizedRect, storedFrame, tiledAreaInResized } from "~/server/analysis/cam-frame";
import { hashParams } from "~/server/analysis/canonical-params";
import { decodeRaster } from "~/server/codecs/decode-raster";
import { db } from "~/server/db";
import { streamResultsCsv } from "~/server/exports/stream-results-csv";
import { classifyImages, classifyTiles } from "~/server/inference/classify";
import { getModel } from "~/server/inference/session-cache";
import { getProjectSettings } from "~/server/settings/project-settings";
import { blobStore } from "~/server/storage";
import { closeHeavyWorkPool } from "~/server/workers/heavy-pool";
import { micrographPng, withDataBar } from "../../../../tests/helpers/micrograph";
import { seedStoredImageRow } from "../../../../tests/helpers/project-images";
import { callerFor, seedProject } from "../../../../tests/helpers/seed";
import { runJobWorkerDuringTests } from "./job-worker";
import { TINY_MODEL, waitForFinishedRun } from "./seed-images";

beforeAll(() => {
  process.env.INFERENCE_MODEL = TINY_MODEL;
});
afterAll(async () => {
  await closeHeavyWorkPool();
});
runJobWorkerDuringTests({ JOB_ITEM_EXPIRE_SECONDS: 30 });

/** A 1000 x 740 SEM-like image whose bottom 56 rows are a data bar, as upload detection records it. */
const SIZE = { width: 1000, height: 740 };
const AREA = { x: 0, y: 0, width: 1000, height: 684 };

async function seedBarImage(projectId: string, datasetId: string) {
  const png = await withDataBar(await micrographPng(21, { ...SIZE, particles: 40 }), 56, 1);
  const image = await seedStoredImageRow(db, {
    projectId,
    datasetId,
    fileName: "sem-with-bar.png",
    bytes: png,
    format: "png",
    ...SIZE,
    channels: 1,
  });
  await db.image.update({ where: { id: image.id }, data: { analysedArea: { ...AREA, source: "detected" } } });
  return { image, raster: await decodeRaster(png) };
}

/** The analysis a settings version reports for the image, parsed. */
async function reported(settingsId: string, imageId: string) {
  const result = await db.settingsResult.findUniqueOrThrow({
    where: { settingsId_imageId: { settingsId, imageId } },
    select: { failure: true, analysis: true },
  });
  expect(result.failure).toBeNull();
  const row = result.analysis!;
  const cam = analysisMapKeysSchema.parse(row.mapKeys).cam!;
  const png = await blobStore().get(cam.key);
  const { width, height } = await sharp(png).metadata();
  return {
    row,
    params: storedAnalysisParamsSchema.parse(row.params),
    cam,
    camPngSize: [width, height],
    probabilities: row.probabilities as Record<string, number>,
  };
}

describe("dataset runs under a pinned classification mode", () => {
  it("tiles the analysed area under 'tiles'; 'centre-crop' and older versions keep today's analysis", async () => {
    const { project, users } = await seedProject(db, { editor: "EDITOR" });
    const dataset = await db.dataset.create({ data: { projectId: project.id, name: "sem" } });
    const { image, raster } = await seedBarImage(project.id, dataset.id);
    const editor = callerFor(db, users.editor!);
    const run = async (settingsVersion: number) => {
      const started = await editor.job.startDatasetAnalysis({
        projectId: project.id,
        datasetId: dataset.id,
        settingsVersion,
      });
      const finished = await waitForFinishedRun(db, started.jobRunId, { timeoutMs: 60_000, what: "the run" });
      expect(finished.status).toBe("SUCCEEDED");
      return finished;
    };
    const model = await getModel(TINY_MODEL);

    // New settings classify the whole image: the default, saved explicitly with the version.
    const tiles = await editor.settings.save({
      projectId: project.id,
      settings: { ...DEFAULT_ANALYSIS_SETTINGS, objects: null },
    });
    expect(tiles.settings.classification).toBe("tiles");
    const tilesRun = await run(tiles.version);
    expect(tilesRun.payload).toMatchObject({ classification: "tiles", analysedArea: "exclude-data-bar" });
    const tiled = await reported(tiles.id!, image.id);
    expect(tiled.params.classifier).toMatchObject({ classification: "tiles", analysedArea: AREA });
    // The CAM covers the analysed area in the resized frame (414 x 283 of 414 x 307), placed by its frame.
    const rect = tiledAreaInResized(AREA, SIZE);
    expect(rect).toEqual({ left: 0, top: 0, width: 414, height: 283 });
    expect(tiled.cam).toMatchObject({ width: 414, height: 283, frame: storedFrame(frameOfResizedRect(rect, SIZE)) });
    expect(tiled.camPngSize).toEqual([414, 283]);
    expect(tiled.cam.frame!.y + tiled.cam.frame!.height).toBeLessThanOrEqual(AREA.height);
    // The numbers are classifyTiles' on the same image and area (the tiny model has no calibration).
    const expected = (await classifyTiles({ model: TINY_MODEL, raster, area: rect, cam: "predicted" })).result;
    expect(tiled.probabilities).toEqual(
      Object.fromEntries(model.head.classes.map((c, i) => [c, expected.probabilities[i]])),
    );
    expect(tiled.row.prediction).toBe(expected.className);
    expect(tiled.cam.classIndex).toBe(expected.camClassIndex);
    const csv = async (version: number) =>
      text(
        streamResultsCsv({
          db,
          scope: { projectId: project.id },
          settings: await getProjectSettings({ db, projectId: project.id, version }),
        }),
      );
    const tilesExport = await csv(tiles.version);

    // The paper's centre crop, as a saved option: today's numbers, CAM and parameter hash.
    const crop = await editor.settings.save({
      projectId: project.id,
      settings: { ...DEFAULT_ANALYSIS_SETTINGS, objects: null, classification: "centre-crop" },
    });
    await run(crop.version);
    const centre = await reported(crop.id!, image.id);
    const today = (await classifyImages({ model: TINY_MODEL, images: [{ name: "a", raster }], cam: "predicted" }))
      .results[0]!;
    if (!today.ok) throw new Error(today.error);
    expect(centre.params.classifier).toEqual({ model: TINY_MODEL, sha256: model.sha256 });
    expect(centre.row.paramsHash).toBe(hashParams(centre.params));
    expect(centre.probabilities).toEqual(
      Object.fromEntries(model.head.classes.map((c, i) => [c, today.probabilities[i]])),
    );
    expect(centre.cam).toMatchObject({ width: 256, height: 256, frame: storedFrame(centreCropFrame(SIZE)) });
    expect(centre.camPngSize).toEqual([256, 256]);
    expect(centre.row.id).not.toBe(tiled.row.id);

    // A version saved before the option has no field: it still means the centre crop.
    const { classification: _absent, ...older } = { ...DEFAULT_ANALYSIS_SETTINGS, ks: [4], objects: null };
    const old = await db.analysisSettings.create({
      data: { projectId: project.id, version: crop.version + 1, settings: older, createdById: users.editor!.id },
    });
    const oldRun = await run(old.version);
    expect(oldRun.payload).toMatchObject({ classification: "centre-crop" });
    const fromOld = await reported(old.id, image.id);
    expect(fromOld.params.classifier).toEqual(centre.params.classifier);
    expect(fromOld.probabilities).toEqual(centre.probabilities);
    expect(fromOld.cam.frame).toEqual(storedFrame(centreCropFrame(SIZE)));

    // Later runs under other versions leave the tiles version's export as it was.
    expect(await csv(tiles.version)).toBe(tilesExport);
  });
});
