/**
 * Handler of analyse-image: compute the image's analysis and, when the run asks for objects, its
 * object set, then record the analysis (or the image's failure) in its run exactly once. Pure
 * service calls: the queue is only reached through `completeQueueJob`, so tests run it without
 * pg-boss.
 *
 * The object set is computed and stored by objects.run's service (requestObjectSet: heavy work in
 * the worker-thread pool, one row per image and parameters hash, so a retried or repeated item
 * reuses it). It is stored before the item is recorded: an item whose run is cancelled meanwhile
 * may leave an object set behind, which is a valid result that objects.run would reuse.
 */
import "server-only";
import type { ObjectSegmentationParams } from "~/core/objects/segment-objects";
import { computeImageAnalysis } from "~/server/analysis/compute-image-analysis";
import { ImageAnalysisError } from "~/server/analysis/image-analysis-error";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { requestObjectSet } from "~/server/objects/request-object-set";
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
  const runningRun = () =>
    db.jobRun.findFirst({ where: { id: payload.jobRunId, status: "RUNNING" }, select: { createdById: true } });
  const run = await runningRun();
  if (!run) {
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
  // Objects only for an analysed image of a run that is still wanted (not cancelled meanwhile).
  if (outcome.kind === "analysed" && payload.objects && (await runningRun())) {
    const objects = await segmentObjects({ ...options, actorId: run.createdById, params: payload.objects });
    outcome =
      "failure" in objects ? { kind: "failed", reason: objects.failure } : { ...outcome, objectSetId: objects.id };
  }
  const result = await recordItemOutcome({
    db,
    jobRunId: payload.jobRunId,
    imageId: payload.imageId,
    outcome,
    settingsId: payload.settingsId,
    completeQueueJob: options.completeQueueJob,
  });
  return { result, outcome: outcome.kind, timingsMs };
}

/**
 * Computes and stores the image's object set (reused when it exists). Returns its id, or why the
 * image cannot be segmented (an item failure); throws, like the analysis, for transient problems.
 */
async function segmentObjects(options: {
  db: Db;
  store: BlobStore;
  payload: AnalyseImagePayload;
  actorId: string | null;
  params: ObjectSegmentationParams;
}): Promise<{ id: string } | { failure: string }> {
  const { payload } = options;
  // Runs are always started by someone (startJobRun); the object set records who.
  if (!options.actorId) return { failure: "objects: the run has no user to record its object sets for" };
  try {
    const set = await requestObjectSet({
      db: options.db,
      store: options.store,
      projectId: payload.projectId,
      actorId: options.actorId,
      imageId: payload.imageId,
      params: options.params,
      useAnalysedArea: payload.analysedArea === "exclude-data-bar",
    });
    return { id: set.id };
  } catch (error) {
    // The service's refusals for this image (unreadable, missing file, deleted): the item fails.
    if (error instanceof AppError && (error.code === "BAD_INPUT" || error.code === "NOT_FOUND")) {
      return { failure: `objects: ${error.message}` };
    }
    throw error;
  }
}
