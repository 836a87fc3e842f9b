/**
 * Handler of analyse-image: compute the image's analysis, then record it (or the image's
 * failure) in its run exactly once. Pure service calls: the queue is only reached through
 * `completeQueueJob`, so tests run it without pg-boss.
 */
import "server-only";
import { computeImageAnalysis } from "~/server/analysis/compute-image-analysis";
import { ImageAnalysisError } from "~/server/analysis/image-analysis-error";
import type { Db } from "~/server/db";
import type { BlobStore } from "~/server/storage";
import type { AnalyseImagePayload } from "./definitions";
import type { Tx } from "./queue";
import { recordItemOutcome, type ItemOutcome, type RecordItemResult } from "./record-item-outcome";

export type AnalyseImageResult = {
  result: RecordItemResult;
  /** What the attempt found; absent when the run was no longer running before any work. */
  outcome?: ItemOutcome["kind"];
  timingsMs?: Record<string, number>;
};

/**
 * Throws only for transient problems (storage or database down, a broken model file): the
 * queue then retries the item. An image that can never be analysed is recorded as failed.
 */
export async function handleAnalyseImage(options: {
  db: Db;
  store: BlobStore;
  payload: AnalyseImagePayload;
  completeQueueJob: (tx: Tx) => Promise<boolean>;
}): Promise<AnalyseImageResult> {
  const { db, payload } = options;
  const run = await db.jobRun.findUnique({ where: { id: payload.jobRunId }, select: { status: true } });
  if (run?.status !== "RUNNING") {
    // Cancelled (or deleted with its project): drain the item without doing the work.
    await db.$transaction((tx) => options.completeQueueJob(tx));
    return { result: "run-not-running" };
  }

  let outcome: ItemOutcome;
  let timingsMs: Record<string, number> | undefined;
  try {
    const analysis = await computeImageAnalysis({
      db,
      store: options.store,
      projectId: payload.projectId,
      imageId: payload.imageId,
      params: payload.params,
      model: payload.model,
    });
    timingsMs = analysis.timingsMs;
    outcome = { kind: "analysed", analysis };
  } catch (error) {
    if (!(error instanceof ImageAnalysisError)) throw error;
    outcome = { kind: "failed", reason: error.message };
  }
  const result = await recordItemOutcome({
    db,
    jobRunId: payload.jobRunId,
    imageId: payload.imageId,
    outcome,
    completeQueueJob: options.completeQueueJob,
  });
  return { result, outcome: outcome.kind, timingsMs };
}
