/**
 * Dataset jobs end to end through the real queue, with a worker in this process: fan-out, a
 * poisoned image failing alone, live progress through the tRPC subscription, cancel, retry of
 * failed items, and one run per dataset at a time.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/server/db";
import { blobStore } from "~/server/storage";
import { micrographPng } from "../../../../tests/helpers/micrograph";
import { callerFor, seedProject } from "../../../../tests/helpers/seed";
import { runJobWorkerDuringTests } from "./job-worker";
import { seedDataset, TINY_MODEL, waitFor } from "./seed-images";

beforeAll(() => {
  process.env.INFERENCE_MODEL = TINY_MODEL;
});
runJobWorkerDuringTests({ JOB_ITEM_EXPIRE_SECONDS: 10 });

async function runOf(id: string) {
  return db.jobRun.findUniqueOrThrow({ where: { id } });
}

describe("analyse-dataset", () => {
  it("analyses every image, fails a poisoned one alone with its reason, and streams progress", async () => {
    const { project, users } = await seedProject(db, { editor: "EDITOR", viewer: "VIEWER" });
    const { datasetId, imageIds } = await seedDataset({ db, projectId: project.id, count: 6, corrupt: [2] });

    // Subscribe first (as a viewer), as the dataset page does, then start.
    const watching = (async () => {
      const seen: { status: string; done: number; total: number }[] = [];
      const stream = await callerFor(db, users.viewer!).job.watch({ projectId: project.id, datasetId });
      for await (const runs of stream) {
        const run = runs[0];
        if (run) seen.push({ status: run.status, done: run.progressDone, total: run.progressTotal });
        if (run && run.status !== "QUEUED" && run.status !== "RUNNING") break;
      }
      return seen;
    })();
    await new Promise((resolve) => setTimeout(resolve, 300));

    const editor = callerFor(db, users.editor!);
    const { jobRunId, alreadyRunning } = await editor.job.startDatasetAnalysis({ projectId: project.id, datasetId });
    expect(alreadyRunning).toBe(false);
    // A second click while it runs returns the same run.
    expect(await editor.job.startDatasetAnalysis({ projectId: project.id, datasetId })).toEqual({
      jobRunId,
      alreadyRunning: true,
    });

    const seen = await watching;
    const run = await runOf(jobRunId);
    expect(run).toMatchObject({ status: "SUCCEEDED", progressDone: 6, progressTotal: 6, failedCount: 1 });
    expect(seen.at(-1)).toEqual({ status: "SUCCEEDED", done: 6, total: 6 });
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.done).toBeGreaterThanOrEqual(seen[i - 1]!.done);

    const view = await editor.job.get({ projectId: project.id, jobRunId });
    expect(view.failures).toHaveLength(1);
    expect(view.failures[0]).toMatchObject({ imageId: imageIds[2], fileName: "image-002.png" });
    expect(view.failures[0]!.reason).toMatch(/cannot decode/);
    expect(view.createdBy?.id).toBe(users.editor!.id);

    const analyses = await db.analysis.findMany({
      where: { imageId: { in: imageIds } },
      select: { imageId: true, prediction: true },
    });
    expect(analyses.map((a) => a.imageId).sort()).toEqual(imageIds.filter((_, i) => i !== 2).sort());
    expect(analyses.every((a) => a.prediction !== null)).toBe(true);

    // Fix the file, retry the failed item: the run reopens and completes without failures.
    const fixed = await blobStore().put(await micrographPng(1002));
    await db.image.update({ where: { id: imageIds[2]! }, data: { blobKey: fixed.key } });
    expect(await editor.job.retryFailed({ projectId: project.id, jobRunId })).toEqual({ retried: 1 });
    const retried = await waitFor(
      async () => {
        const current = await runOf(jobRunId);
        return current.status === "RUNNING" ? undefined : current;
      },
      { timeoutMs: 20_000, what: "the retried item" },
    );
    expect(retried).toMatchObject({ status: "SUCCEEDED", progressDone: 6, failedCount: 0 });
    expect(await db.analysis.count({ where: { imageId: { in: imageIds } } })).toBe(6);
  });

  it("stops a cancelled job: status CANCELLED and no results after the cancel", async () => {
    const { project, users } = await seedProject(db, { editor: "EDITOR" });
    const { datasetId, imageIds } = await seedDataset({ db, projectId: project.id, count: 40 });
    const editor = callerFor(db, users.editor!);
    const { jobRunId } = await editor.job.startDatasetAnalysis({ projectId: project.id, datasetId });
    await waitFor(async () => ((await runOf(jobRunId)).progressDone >= 3 ? true : undefined), {
      timeoutMs: 30_000,
      what: "some progress",
    });
    await editor.job.cancel({ projectId: project.id, jobRunId });
    const atCancel = await runOf(jobRunId);
    const analysesAtCancel = await db.analysis.count({ where: { imageId: { in: imageIds } } });
    expect(atCancel.status).toBe("CANCELLED");
    expect(atCancel.progressDone).toBeLessThan(40);
    expect(analysesAtCancel).toBe(atCancel.progressDone);

    // Let the worker drain the remaining items (it must skip them).
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const later = await runOf(jobRunId);
    expect(later).toMatchObject({ status: "CANCELLED", progressDone: atCancel.progressDone });
    expect(await db.analysis.count({ where: { imageId: { in: imageIds } } })).toBe(analysesAtCancel);
    await expect(editor.job.cancel({ projectId: project.id, jobRunId })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    const listed = await editor.job.list({ projectId: project.id });
    expect(listed[0]).toMatchObject({ id: jobRunId, status: "CANCELLED", datasetId });
  });
});
