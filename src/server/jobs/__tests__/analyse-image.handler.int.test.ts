/**
 * The item handler without pg-boss, on the real database and blob store: results, failures,
 * exactly-once recording when an attempt is repeated, cancellation, classification.
 */
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { analysisMapKeysSchema, storedAnalysisParamsSchema } from "~/server/analysis/analysis-record";
import { resolveAnalysisParams } from "~/server/analysis/run-analysis";
import { db } from "~/server/db";
import { blobStore } from "~/server/storage";
import { seedProject } from "../../../../tests/helpers/seed";
import { handleAnalyseImage, handleAnalyseImages } from "../analyse-image.handler";
import type { AnalyseImagePayload } from "../definitions";
import { parseFailures } from "../job-run-records";
import { seedDataset, TINY_MODEL } from "./seed-images";

const params = resolveAnalysisParams({ ks: [2, 3] });

/** Emulates the queue's rule: a job can be completed once; later attempts are stale. */
function fakeQueue() {
  const completed = new Set<string>();
  return (jobId: string) => async () => {
    if (completed.has(jobId)) return false;
    completed.add(jobId);
    return true;
  };
}

async function runningRun(projectId: string, datasetId: string, total: number) {
  return db.jobRun.create({
    data: {
      projectId,
      type: "analyse-dataset",
      status: "RUNNING",
      progressTotal: total,
      payload: { datasetId, params, model: null },
    },
  });
}

function payloadFor(
  run: { id: string; projectId: string },
  imageId: string,
  model: string | null,
): AnalyseImagePayload {
  return {
    version: 1,
    jobRunId: run.id,
    projectId: run.projectId,
    imageId,
    params,
    model,
    objects: null,
    settingsId: null,
    analysedArea: "exclude-data-bar",
    classification: "centre-crop",
  };
}

describe("handleAnalyseImage", () => {
  it("stores the maps and the row once, counts a repeated attempt once, and fails a corrupt image alone", async () => {
    const { project } = await seedProject(db, { owner: "OWNER" });
    const { datasetId, imageIds } = await seedDataset({ db, projectId: project.id, count: 2, corrupt: [1] });
    const run = await runningRun(project.id, datasetId, 2);
    const complete = fakeQueue();
    const store = blobStore();
    /** Handles the analysis of `imageId` without a classifier as the queue's job `queueJobId`. */
    const handle = (imageId: string, queueJobId: string) =>
      handleAnalyseImage({
        db,
        store,
        payload: payloadFor(run, imageId, null),
        completeQueueJob: complete(queueJobId),
      });

    const first = await handle(imageIds[0]!, "job-a");
    expect(first).toMatchObject({ result: "recorded", outcome: "analysed" });
    // The same job again (its worker looked dead, the queue handed it out twice): not counted.
    const again = await handle(imageIds[0]!, "job-a");
    expect(again.result).toBe("superseded");

    const rows = await db.analysis.findMany({ where: { imageId: imageIds[0]! } });
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(storedAnalysisParamsSchema.parse(row.params)).toEqual({ analysis: params, classifier: null });
    expect(row.prediction).toBeNull();
    const mapKeys = analysisMapKeysSchema.parse(row.mapKeys);
    expect(Object.keys(mapKeys.clusters).sort()).toEqual(["2", "3"]);
    expect(mapKeys.cam).toBeUndefined();
    // Maps are 8-bit single-channel PNGs of the 512-wide analysis image.
    const labelPng = await store.get(mapKeys.clusters["3"]!.key);
    expect(await sharp(labelPng).metadata()).toMatchObject({
      width: 512,
      height: 512,
      channels: 1,
      depth: "uchar",
    });
    const labels = await sharp(labelPng).toColourspace("b-w").raw().toBuffer();
    expect(labels.reduce((a, b) => Math.max(a, b), 0)).toBe(2); // cluster ids 0..K-1, for a categorical palette
    expect(await store.has(mapKeys.segmentation.key)).toBe(true);

    let current = await db.jobRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(current).toMatchObject({ status: "RUNNING", progressDone: 1, failedCount: 0 });

    const poisoned = await handle(imageIds[1]!, "job-b");
    expect(poisoned).toMatchObject({ result: "recorded", outcome: "failed" });
    current = await db.jobRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(current).toMatchObject({ status: "SUCCEEDED", progressDone: 2, progressTotal: 2, failedCount: 1 });
    expect(current.finishedAt).not.toBeNull();
    const failures = parseFailures(current.failures);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ imageId: imageIds[1], fileName: "image-001.png" });
    expect(failures[0]!.reason).toMatch(/decode.*(corrupt|truncated)/i);
    expect(await db.analysis.count({ where: { imageId: imageIds[1]! } })).toBe(0);
  });

  it("classifies with the configured model and stores the class activation map", async () => {
    const { project } = await seedProject(db, { owner: "OWNER" });
    const { datasetId, imageIds } = await seedDataset({ db, projectId: project.id, count: 1 });
    const run = await runningRun(project.id, datasetId, 1);
    const result = await handleAnalyseImage({
      db,
      store: blobStore(),
      payload: payloadFor(run, imageIds[0]!, TINY_MODEL),
      completeQueueJob: fakeQueue()("job-c"),
    });
    expect(result.outcome).toBe("analysed");
    expect(result.timingsMs?.classify).toBeGreaterThan(0);
    const row = await db.analysis.findFirstOrThrow({ where: { imageId: imageIds[0]! } });
    expect(row.prediction).toEqual(expect.any(String));
    const probabilities = row.probabilities as Record<string, number>;
    expect(Object.values(probabilities).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(probabilities[row.prediction!]).toBe(Math.max(...Object.values(probabilities)));
    const params = storedAnalysisParamsSchema.parse(row.params);
    expect(params.classifier?.sha256).toMatch(/^[0-9a-f]{64}$/);
    const cam = analysisMapKeysSchema.parse(row.mapKeys).cam;
    expect(cam).toMatchObject({ width: 256, height: 256, encoding: "heat", className: row.prediction });
    const camPng = await blobStore().get(cam!.key);
    expect(await sharp(camPng).metadata()).toMatchObject({ width: 256, height: 256, channels: 1 });
    expect((await sharp(camPng).toColourspace("b-w").raw().toBuffer()).reduce((a, b) => Math.max(a, b), 0)).toBe(255); // normalised to its maximum
  });

  it("skips classification with its reason when the model is not installed", async () => {
    const { project } = await seedProject(db, { owner: "OWNER" });
    const { datasetId, imageIds } = await seedDataset({ db, projectId: project.id, count: 1 });
    const run = await runningRun(project.id, datasetId, 1);
    const { computeImageAnalysis } = await import("~/server/analysis/compute-image-analysis");
    const computed = await computeImageAnalysis({
      db,
      store: blobStore(),
      projectId: project.id,
      imageId: imageIds[0]!,
      params,
      model: "no-such-model",
    });
    expect(computed.classificationSkipped).toMatch(/^no model/);
    expect(computed.prediction).toBeNull();
    await expect(
      handleAnalyseImage({
        db,
        store: blobStore(),
        payload: payloadFor(run, imageIds[0]!, "no-such-model"),
        completeQueueJob: fakeQueue()("j"),
      }),
    ).resolves.toMatchObject({ outcome: "analysed" });
  });

  it("does no work and records nothing for a cancelled run, but settles the queue job", async () => {
    const { project } = await seedProject(db, { owner: "OWNER" });
    const { datasetId, imageIds } = await seedDataset({ db, projectId: project.id, count: 1 });
    const run = await runningRun(project.id, datasetId, 1);
    await db.jobRun.update({ where: { id: run.id }, data: { status: "CANCELLED" } });
    let settled = false;
    const result = await handleAnalyseImage({
      db,
      store: blobStore(),
      payload: payloadFor(run, imageIds[0]!, null),
      completeQueueJob: async () => (settled = true),
    });
    expect(result.result).toBe("run-not-running");
    expect(settled).toBe(true);
    expect(await db.analysis.count({ where: { imageId: imageIds[0]! } })).toBe(0);
    expect(await db.jobRun.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({
      progressDone: 0,
      status: "CANCELLED",
    });
  });

  it("handles a batch as each item alone: same results, each recorded once, failures on their own", async () => {
    const { project } = await seedProject(db, { owner: "OWNER" });
    const count = 7; // two chunks: the second computes while the first is recorded
    const { datasetId, imageIds } = await seedDataset({ db, projectId: project.id, count, corrupt: [2] });
    const run = await runningRun(project.id, datasetId, count);
    const complete = fakeQueue();
    const store = blobStore();
    const items = imageIds.map((imageId, i) => ({
      payload: payloadFor(run, imageId, TINY_MODEL),
      // Item 5 meets a transient problem when it is recorded (the database went away).
      completeQueueJob:
        i === 5
          ? async () => {
              throw new Error("connection lost");
            }
          : complete(`job-${i}`),
    }));

    const results = await handleAnalyseImages({ db, store, items });
    expect(results.map((r) => (r.status === "fulfilled" ? r.value.outcome : "retry"))).toEqual([
      "analysed",
      "analysed",
      "failed",
      "analysed",
      "analysed",
      "retry",
      "analysed",
    ]);
    expect(results[5]).toMatchObject({ status: "rejected", reason: new Error("connection lost") });
    let current = await db.jobRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(current).toMatchObject({ status: "RUNNING", progressDone: count - 1, failedCount: 1 });

    // Each analysed image has exactly the analysis it gets alone (maps are content-addressed).
    const { computeImageAnalysis, computeImageAnalyses } = await import("~/server/analysis/compute-image-analysis");
    const request = (imageId: string) => ({ projectId: project.id, imageId, params, model: TINY_MODEL });
    const batched = await computeImageAnalyses({ db, store, requests: imageIds.map(request) });
    for (const [i, imageId] of imageIds.entries()) {
      const inBatch = batched[i]!;
      if (i === 2) {
        const error = await computeImageAnalysis({ db, store, ...request(imageId) }).catch((e: unknown) => e);
        expect(inBatch).toMatchObject({ status: "rejected", reason: error });
        continue;
      }
      const alone = await computeImageAnalysis({ db, store, ...request(imageId) });
      if (inBatch.status !== "fulfilled") throw new Error(`image ${i} was not analysed`);
      expect({ ...inBatch.value, timingsMs: {} }).toEqual({ ...alone, timingsMs: {} });
      const rows = await db.analysis.findMany({ where: { imageId } });
      expect(rows).toHaveLength(i === 5 ? 0 : 1);
      if (i !== 5)
        expect(rows[0]).toMatchObject({
          paramsHash: alone.paramsHash,
          prediction: alone.prediction,
          mapKeys: alone.mapKeys,
        });
    }

    // The batch again (the queue handed it out twice): nothing counted twice; the retried item counts now.
    items[5]!.completeQueueJob = complete("job-5");
    const again = await handleAnalyseImages({ db, store, items });
    // (Stale items find their job completed, or, once item 5 finished the run, the run no longer running.)
    expect(again.map((r) => r.status === "fulfilled" && r.value.result === "recorded")).toEqual(
      imageIds.map((_, i) => i === 5),
    );
    expect(again.every((r) => r.status === "fulfilled")).toBe(true);
    current = await db.jobRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(current).toMatchObject({ status: "SUCCEEDED", progressDone: count, failedCount: 1 });
    for (const imageId of imageIds) {
      expect(await db.analysis.count({ where: { imageId } })).toBe(imageId === imageIds[2] ? 0 : 1);
    }
  });
});
