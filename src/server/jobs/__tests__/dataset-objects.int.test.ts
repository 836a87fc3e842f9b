/**
 * Dataset runs that also segment objects, through the real queue with a worker in this process:
 * every image gets the object set of the project settings' parameters (objects.run's service and
 * row), recorded as the settings version's result; an image without foreground gets count 0,
 * results.csv reports them with their parameters' hash, bad parameters are refused when the
 * settings are saved, and settings without objects make no object sets.
 */
import { text } from "node:stream/consumers";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveObjectParams } from "~/core/objects/segment-objects";
import { DEFAULT_ANALYSIS_SETTINGS } from "~/core/settings/analysis-settings";
import { db } from "~/server/db";
import { streamResultsCsv } from "~/server/exports/stream-results-csv";
import { objectParamsHash } from "~/server/objects/object-set-record";
import { closeHeavyWorkPool } from "~/server/workers/heavy-pool";
import { micrographPng } from "../../../../tests/helpers/micrograph";
import { seedStoredImageRow } from "../../../../tests/helpers/project-images";
import { callerFor } from "../../../../tests/helpers/seed";
import { HEIGHT, WIDTH, seedDiscsImage } from "../../objects/__tests__/object-fixtures";
import { runJobWorkerDuringTests } from "./job-worker";
import { seedDataset, TINY_MODEL, waitForFinishedRun } from "./seed-images";

beforeAll(() => {
  process.env.INFERENCE_MODEL = TINY_MODEL;
});
afterAll(async () => {
  await closeHeavyWorkPool();
});
runJobWorkerDuringTests({ JOB_ITEM_EXPIRE_SECONDS: 30 });

const finishedRun = (jobRunId: string) =>
  waitForFinishedRun(db, jobRunId, { timeoutMs: 45_000, what: "the dataset run" });

describe("analyse-dataset with objects", () => {
  it("segments and measures every image with the run's parameters, reported by results.csv", async () => {
    const { project, users, dataset, image: discs } = await seedDiscsImage(db);
    const uniform = await seedStoredImageRow(db, {
      projectId: project.id,
      datasetId: dataset.id,
      fileName: "uniform.png",
      bytes: await sharp(Buffer.alloc(WIDTH * HEIGHT, 90), { raw: { width: WIDTH, height: HEIGHT, channels: 1 } })
        .png()
        .toBuffer(),
      format: "png",
      width: WIDTH,
      height: HEIGHT,
      channels: 1,
    });
    const micrograph = await seedStoredImageRow(db, {
      projectId: project.id,
      datasetId: dataset.id,
      fileName: "micrograph.png",
      bytes: await micrographPng(0),
      format: "png",
      width: 128,
      height: 128,
      channels: 1,
    });
    const editor = callerFor(db, users.editor!);

    // Bad object parameters are refused when the settings are saved, before any run.
    const params = resolveObjectParams({ minArea: 10 });
    await expect(
      editor.settings.save({
        projectId: project.id,
        settings: { ...DEFAULT_ANALYSIS_SETTINGS, objects: { ...params, h: -1 } },
      }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/objects.h: h must be a finite number > 0/),
    });
    const saved = await editor.settings.save({
      projectId: project.id,
      settings: { ...DEFAULT_ANALYSIS_SETTINGS, objects: params },
    });

    const { jobRunId } = await editor.job.startDatasetAnalysis({ projectId: project.id, datasetId: dataset.id });
    const run = await finishedRun(jobRunId);
    expect(run).toMatchObject({ status: "SUCCEEDED", progressDone: 3, progressTotal: 3, failedCount: 0 });
    expect(run.payload).toMatchObject({ objects: params, settingsId: saved.id });
    // Each image's result is recorded as the settings version's.
    const results = await db.settingsResult.findMany({ where: { settingsId: saved.id! } });
    expect(results).toHaveLength(3);
    expect(results.every((r) => r.analysisId !== null && r.objectSetId !== null && r.failure === null)).toBe(true);

    const sets = await db.objectSet.findMany({
      where: { projectId: project.id },
      select: { imageId: true, params: true, paramsHash: true, count: true, createdById: true },
    });
    expect(sets).toHaveLength(3);
    for (const set of sets) {
      expect(set.params).toEqual(params);
      expect(set.paramsHash).toBe(objectParamsHash(params));
      expect(set.createdById).toBe(users.editor!.id);
    }
    const countOf = (imageId: string) => sets.find((set) => set.imageId === imageId)?.count;
    expect(countOf(discs.id)).toBe(5);
    expect(countOf(micrograph.id)).toBeGreaterThan(0);
    expect(countOf(uniform.id)).toBe(0);
    expect(await db.analysis.count({ where: { imageId: { in: [discs.id, uniform.id, micrograph.id] } } })).toBe(3);

    // The workspace finds the run's set for the same parameters (one service, one row).
    const found = await callerFor(db, users.viewer!).objects.forImage({
      projectId: project.id,
      imageId: discs.id,
      params: { minArea: 10 },
    });
    expect(found?.count).toBe(5);

    const reported = { id: saved.id!, version: saved.version };
    const [header, ...rows] = (
      await text(streamResultsCsv({ db, scope: { projectId: project.id }, settings: reported }))
    )
      .trimEnd()
      .split("\r\n")
      .map((line) => line.split(","));
    const cell = (imageId: string, column: string) =>
      rows.find((row) => row[header!.indexOf("image_id")] === imageId)?.[header!.indexOf(column)];
    expect(cell(discs.id, "object_count")).toBe("5");
    expect(cell(uniform.id, "object_count")).toBe("0");
    expect(cell(micrograph.id, "object_params_hash")).toBe(objectParamsHash(params));
  });

  it("makes no object sets when the settings measure no objects", async () => {
    const { project, users } = await seedDiscsImage(db);
    const { datasetId, imageIds } = await seedDataset({ db, projectId: project.id, count: 2 });
    const editor = callerFor(db, users.editor!);
    await editor.settings.save({ projectId: project.id, settings: { ...DEFAULT_ANALYSIS_SETTINGS, objects: null } });
    const { jobRunId } = await editor.job.startDatasetAnalysis({ projectId: project.id, datasetId });
    const run = await finishedRun(jobRunId);
    expect(run).toMatchObject({ status: "SUCCEEDED", progressDone: 2, failedCount: 0 });
    expect((run.payload as { objects: unknown }).objects).toBeNull();
    expect(await db.analysis.count({ where: { imageId: { in: imageIds } } })).toBe(2);
    expect(await db.objectSet.count({ where: { projectId: project.id } })).toBe(0);
  });
});
