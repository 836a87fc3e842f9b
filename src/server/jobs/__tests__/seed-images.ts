/** Test data for the job tests: a dataset of small generated micrographs in the real blob store. */
import path from "node:path";
import type { Db } from "~/server/db";
import { blobStore } from "~/server/storage";
import { micrographPng } from "../../../../tests/helpers/micrograph";

export const repoRoot = path.resolve(__dirname, "../../../..");
/** The committed tiny classifier that honours the ONNX contract (tests/fixtures/inference). */
export const TINY_MODEL = path.join(repoRoot, "tests/fixtures/inference/tiny-visualcnn.onnx");

/** Creates a dataset of `count` images; the indices in `corrupt` get a truncated PNG. */
export async function seedDataset(options: {
  db: Db;
  projectId: string;
  count: number;
  corrupt?: readonly number[];
  name?: string;
}): Promise<{ datasetId: string; imageIds: string[] }> {
  const { db, projectId } = options;
  const dataset = await db.dataset.create({
    data: { projectId, name: options.name ?? `dataset-${Math.random().toString(36).slice(2, 8)}` },
  });
  const imageIds: string[] = [];
  for (let i = 0; i < options.count; i++) {
    let png = await micrographPng(i);
    // Cut-off files are the commonest real corruption (interrupted copies).
    if (options.corrupt?.includes(i)) png = png.subarray(0, Math.floor(png.length / 2));
    const blob = await blobStore().put(png);
    const image = await db.image.create({
      data: {
        projectId,
        datasetId: dataset.id,
        fileName: `image-${String(i).padStart(3, "0")}.png`,
        blobKey: blob.key,
        sha256: blob.sha256,
        byteSize: blob.size,
        thumbnailKey: blob.key,
        format: "png",
        width: 128,
        height: 128,
        bitDepth: 8,
        channels: 1,
      },
    });
    imageIds.push(image.id);
  }
  return { datasetId: dataset.id, imageIds };
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T | undefined>,
  options: { timeoutMs: number; what: string },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${options.what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Polls until the run is no longer QUEUED or RUNNING and returns it, or fails after `timeoutMs`. */
export async function waitForFinishedRun(db: Db, jobRunId: string, options: { timeoutMs: number; what: string }) {
  return waitFor(async () => {
    const run = await db.jobRun.findUniqueOrThrow({ where: { id: jobRunId } });
    return run.status === "QUEUED" || run.status === "RUNNING" ? undefined : run;
  }, options);
}
