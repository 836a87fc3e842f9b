/**
 * Dead-letter handlers of the per-image queues: an item that kept failing or kept killing its
 * worker is recorded as failed with the last error, so its run can finish.
 */
import "server-only";
import type { Db } from "~/server/db";
import type { AnalyseImagePayload } from "./definitions";
import type { Tx } from "./queue";
import { recordItemOutcome, type RecordItemResult } from "./record-item-outcome";

type GaveUpOptions<Payload> = {
  db: Db;
  payload: Payload;
  /** The last attempt's error as the queue recorded it, if any. */
  lastError: string | null;
  completeQueueJob: (tx: Tx) => Promise<boolean>;
};

/** Records the item of `payload` as failed because the queue gave up on it. */
export function recordGaveUpItem(
  options: GaveUpOptions<{ jobRunId: string; imageId: string; settingsId: string | null }>,
): Promise<RecordItemResult> {
  const reason = options.lastError
    ? `gave up after repeated attempts; last error: ${options.lastError}`
    : "gave up after repeated attempts (the worker stopped responding each time)";
  return recordItemOutcome({
    db: options.db,
    jobRunId: options.payload.jobRunId,
    imageId: options.payload.imageId,
    outcome: { kind: "failed", reason },
    settingsId: options.payload.settingsId,
    completeQueueJob: options.completeQueueJob,
  });
}

export function handleAnalyseImageGaveUp(options: GaveUpOptions<AnalyseImagePayload>): Promise<RecordItemResult> {
  return recordGaveUpItem(options);
}
