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
import { computeImageAnalyses } from "~/server/analysis/compute-image-analysis";
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

/** One analyse-image item: its payload, and how its queue job is completed in a transaction. */
export type AnalyseImageItem = {
  payload: AnalyseImagePayload;
  completeQueueJob: (tx: Tx) => Promise<boolean>;
};

/**
 * Throws only for transient problems (storage or database down, a broken model file): the
 * queue then retries the item. An image that can never be analysed is recorded as failed.
 */
export async function handleAnalyseImage(
  options: { db: Db; store: BlobStore } & AnalyseImageItem,
): Promise<AnalyseImageResult> {
  const [result] = await handleAnalyseImages({ db: options.db, store: options.store, items: [options] });
  if (result?.status !== "fulfilled") throw result?.reason ?? new Error("internal: the item was not handled");
  return result.value;
}

/** Images per heavy-work task (one classifier batch); the next one computes while these are recorded. */
export const ANALYSIS_CHUNK_SIZE = 4;

/**
 * Several items at once (a worker's batch of queue jobs), each handled as
 * {@link handleAnalyseImage} would alone: recorded exactly once in its own transaction, failed
 * on its own. The analyses are computed in chunks of {@link ANALYSIS_CHUNK_SIZE} (one classifier
 * batch each); a chunk is recorded while the next one computes. One result per item, in order:
 * rejected for a transient problem of that item (the queue retries just that one).
 */
export async function handleAnalyseImages(options: {
  db: Db;
  store: BlobStore;
  items: AnalyseImageItem[];
}): Promise<PromiseSettledResult<AnalyseImageResult>[]> {
  const { db, store } = options;
  const runningRun = async (jobRunId: string) =>
    db.jobRun.findFirst({ where: { id: jobRunId, status: "RUNNING" }, select: { createdById: true } });
  // The items of a batch mostly belong to one run: look each run up once.
  const runsById = new Map<string, ReturnType<typeof runningRun>>();
  const runOf = (jobRunId: string) => {
    let run = runsById.get(jobRunId);
    if (!run) runsById.set(jobRunId, (run = runningRun(jobRunId)));
    return run;
  };

  const results: PromiseSettledResult<AnalyseImageResult>[] = [];
  const settle = async (index: number, work: () => Promise<AnalyseImageResult>) => {
    try {
      results[index] = { status: "fulfilled", value: await work() };
    } catch (reason) {
      results[index] = { status: "rejected", reason };
    }
  };
  const runs = await Promise.allSettled(options.items.map((item) => runOf(item.payload.jobRunId)));
  const wanted: { index: number; item: AnalyseImageItem; actorId: string | null }[] = [];
  const draining: Promise<void>[] = [];
  options.items.forEach((item, index) => {
    const run = runs[index]!;
    if (run.status === "rejected") results[index] = run;
    else if (run.value) wanted.push({ index, item, actorId: run.value.createdById });
    else {
      // Cancelled (or deleted with its project): drain the item without doing the work.
      draining.push(
        settle(index, async () => {
          await db.$transaction((tx) => item.completeQueueJob(tx));
          return { result: "run-not-running" };
        }),
      );
    }
  });
  await Promise.all(draining);

  const chunks: (typeof wanted)[] = [];
  for (let i = 0; i < wanted.length; i += ANALYSIS_CHUNK_SIZE) chunks.push(wanted.slice(i, i + ANALYSIS_CHUNK_SIZE));
  await Promise.all(
    chunks.map(async (chunk) => {
      const computed = await computeImageAnalyses({
        db,
        store,
        requests: chunk.map(({ item: { payload } }) => ({
          projectId: payload.projectId,
          imageId: payload.imageId,
          params: payload.params,
          model: payload.model,
          classification: payload.classification,
          useAnalysedArea: payload.analysedArea === "exclude-data-bar",
        })),
      });
      // One after the other: the items of a run queue on its row lock anyway.
      for (const [i, { index, item, actorId }] of chunk.entries()) {
        await settle(index, async () => {
          const analysis = computed[i]!;
          if (analysis.status === "rejected" && !(analysis.reason instanceof ImageAnalysisError)) throw analysis.reason;
          const outcome: ItemOutcome =
            analysis.status === "fulfilled"
              ? { kind: "analysed", analysis: analysis.value }
              : { kind: "failed", reason: (analysis.reason as ImageAnalysisError).message };
          return recordItem({ db, store, item, actorId, outcome });
        });
      }
    }),
  );
  return results;
}

/** Objects (when the run asks for them), then the item's outcome, recorded exactly once. */
async function recordItem(options: {
  db: Db;
  store: BlobStore;
  item: AnalyseImageItem;
  actorId: string | null;
  outcome: ItemOutcome;
}): Promise<AnalyseImageResult> {
  const { db, item } = options;
  const { payload } = item;
  let outcome = options.outcome;
  const timingsMs = outcome.kind === "analysed" ? outcome.analysis.timingsMs : undefined;
  // Objects only for an analysed image of a run that is still wanted (not cancelled meanwhile).
  if (
    outcome.kind === "analysed" &&
    payload.objects &&
    (await db.jobRun.findFirst({ where: { id: payload.jobRunId, status: "RUNNING" }, select: { id: true } }))
  ) {
    const objects = await segmentObjects({
      db,
      store: options.store,
      payload,
      actorId: options.actorId,
      params: payload.objects,
    });
    outcome =
      "failure" in objects ? { kind: "failed", reason: objects.failure } : { ...outcome, objectSetId: objects.id };
  }
  const result = await recordItemOutcome({
    db,
    jobRunId: payload.jobRunId,
    imageId: payload.imageId,
    outcome,
    settingsId: payload.settingsId,
    completeQueueJob: item.completeQueueJob,
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
