/**
 * Handler of sam2-image: one image of a SAM 2 run. "embed": its embedding (ensureSam2Embedding:
 * encoder in the heavy-work pool, blob + SamEmbedding row); "generate": that, then its automatic
 * masks as an ObjectSet of method "sam2" (requestSam2ObjectSet). Both are stored under unique keys
 * before the item is recorded exactly once (recordItemOutcome), so an attempt after a dead worker
 * reuses what is done and never counts an image twice. Pure service calls: the queue is reached
 * only through `completeQueueJob`, so tests run it without pg-boss.
 *
 * An image that can never be done (deleted, unreadable, the model gone or changed since the run
 * started) is recorded as failed; anything else throws, and the queue retries the item.
 */
import "server-only";
import { ImageAnalysisError } from "~/server/analysis/image-analysis-error";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { ensureSam2Embedding, type ReadySam2Model } from "~/server/inference/sam2/ensure-sam2-embedding";
import { findReadySam2Model, Sam2ModelUnavailableError } from "~/server/inference/sam2/sam2-registry";
import { requestSam2ObjectSet } from "~/server/objects/request-sam2-object-set";
import type { BlobStore } from "~/server/storage";
import { recordGaveUpItem } from "./analyse-image-gave-up.handler";
import type { Sam2ImagePayload } from "./definitions";
import type { Tx } from "./queue";
import { recordItemOutcome, type ItemOutcome, type RecordItemResult } from "./record-item-outcome";

export type Sam2ImageResult = {
  result: RecordItemResult;
  outcome?: ItemOutcome["kind"];
  /** The object set made or reused ("generate"). */
  objectSetId?: string;
  timingsMs?: Record<string, number>;
};

class ItemFailure extends Error {}

/** The run's model, ready and with the files the run started with; ItemFailure otherwise. */
export async function runModel(model: Sam2ImagePayload["model"]): Promise<ReadySam2Model> {
  let listing;
  try {
    listing = await findReadySam2Model(model.name);
  } catch (error) {
    if (error instanceof Sam2ModelUnavailableError) throw new ItemFailure(error.message);
    throw error;
  }
  if (listing.pairSha256 !== model.pairSha256) {
    throw new ItemFailure(`SAM 2 model "${model.name}" was replaced since the run started; start the run again`);
  }
  return listing as ReadySam2Model;
}

export async function handleSam2Image(options: {
  db: Db;
  store: BlobStore;
  payload: Sam2ImagePayload;
  completeQueueJob: (tx: Tx) => Promise<boolean>;
}): Promise<Sam2ImageResult> {
  const { db, store, payload } = options;
  const run = await db.jobRun.findFirst({
    where: { id: payload.jobRunId, status: "RUNNING" },
    select: { createdById: true },
  });
  if (!run) {
    // Cancelled (or deleted with its project): drain the item without doing the work.
    await db.$transaction((tx) => options.completeQueueJob(tx));
    return { result: "run-not-running" };
  }
  let outcome: ItemOutcome = { kind: "done" };
  let objectSetId: string | undefined;
  let timingsMs: Record<string, number> | undefined;
  try {
    const image = await db.image.findFirst({
      where: { id: payload.imageId, projectId: payload.projectId },
      select: { id: true, sha256: true, blobKey: true },
    });
    if (!image) throw new ItemFailure("the image was deleted");
    const model = await runModel(payload.model);
    const started = performance.now();
    const embedding = await ensureSam2Embedding({ db, store, image, model });
    const embeddingMs = performance.now() - started;
    timingsMs = { embedding: embeddingMs, ...embedding.timingsMs };
    if (payload.task === "generate") {
      if (!payload.params) throw new ItemFailure("the run has no generator parameters");
      if (!run.createdById) throw new ItemFailure("the run has no user to record its object sets for");
      const set = await requestSam2ObjectSet({
        db,
        store,
        projectId: payload.projectId,
        actorId: run.createdById,
        imageId: payload.imageId,
        model,
        params: payload.params,
      });
      objectSetId = set.id;
      timingsMs.generate = performance.now() - started - embeddingMs;
    }
  } catch (error) {
    const permanent =
      error instanceof ItemFailure ||
      error instanceof ImageAnalysisError ||
      (error instanceof AppError && (error.code === "BAD_INPUT" || error.code === "NOT_FOUND"));
    if (!permanent) throw error;
    outcome = { kind: "failed", reason: error.message };
  }
  const result = await recordItemOutcome({
    db,
    jobRunId: payload.jobRunId,
    imageId: payload.imageId,
    outcome,
    settingsId: null,
    completeQueueJob: options.completeQueueJob,
  });
  return { result, outcome: outcome.kind, ...(objectSetId && { objectSetId }), ...(timingsMs && { timingsMs }) };
}

/** Dead-letter handler: an item that kept failing or killing its worker is recorded as failed. */
export function handleSam2ImageGaveUp(options: {
  db: Db;
  payload: Sam2ImagePayload;
  lastError: string | null;
  completeQueueJob: (tx: Tx) => Promise<boolean>;
}): Promise<RecordItemResult> {
  return recordGaveUpItem({ ...options, payload: { ...options.payload, settingsId: null } });
}
