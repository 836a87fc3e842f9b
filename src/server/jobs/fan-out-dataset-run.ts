/**
 * Turns a QUEUED dataset run into one analyse-image job per image of the dataset, in one
 * transaction with setting the run's total, marking it RUNNING and completing the fan-out job:
 * a fan-out that is retried after a crash finds the run RUNNING and enqueues nothing twice.
 */
import "server-only";
import type { Db } from "~/server/db";
import { projectChannel, publishEvent } from "~/server/events";
import { analyseImageItem, analyseImageJob, type AnalyseDatasetPayload, type JobDefinition } from "./definitions";
import { jobRunUpdatedEvent } from "./job-run-records";
import type { JobQueue, Tx } from "./queue";
import { findLockedJobRun } from "./record-item-outcome";

class SupersededAttempt extends Error {}

export async function fanOutDatasetRun(options: {
  db: Db;
  queue: Pick<JobQueue, "sendMany">;
  payload: AnalyseDatasetPayload;
  completeQueueJob: (tx: Tx) => Promise<boolean>;
}): Promise<{ result: "fanned-out" | "not-queued" | "superseded"; items: number }> {
  const { payload } = options;
  return fanOutRunItems({
    ...options,
    run: payload,
    itemJob: analyseImageJob,
    item: (imageId) => analyseImageItem(payload, payload, imageId),
  });
}

/**
 * The same for any run of per-image items (the SAM 2 runs too): one `itemJob` per image of the
 * dataset (or only `run.imageId`), in the transaction that sets the total and marks it RUNNING.
 */
export async function fanOutRunItems<Item>(options: {
  db: Db;
  queue: Pick<JobQueue, "sendMany">;
  run: { jobRunId: string; projectId: string; datasetId: string; imageId?: string };
  itemJob: JobDefinition<Item>;
  item: (imageId: string) => Item;
  completeQueueJob: (tx: Tx) => Promise<boolean>;
}): Promise<{ result: "fanned-out" | "not-queued" | "superseded"; items: number }> {
  const { db, run: asked } = options;
  try {
    return await db.$transaction(
      async (tx) => {
        const run = await findLockedJobRun(tx, asked.jobRunId);
        if (!run || run.status !== "QUEUED") {
          await options.completeQueueJob(tx);
          return { result: "not-queued" as const, items: 0 };
        }
        if (!(await options.completeQueueJob(tx))) throw new SupersededAttempt();
        const images = await tx.image.findMany({
          where: {
            datasetId: asked.datasetId,
            projectId: asked.projectId,
            ...(asked.imageId !== undefined && { id: asked.imageId }),
          },
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
          select: { id: true },
        });
        const items = images.map((image) => options.item(image.id));
        await options.queue.sendMany(options.itemJob, items, { tx });
        const now = new Date();
        const updated = await tx.jobRun.update({
          where: { id: run.id },
          data: {
            progressTotal: items.length,
            startedAt: now,
            // An empty dataset is done at once.
            ...(items.length === 0 ? { status: "SUCCEEDED", finishedAt: now } : { status: "RUNNING" }),
          },
        });
        await publishEvent({
          db: tx,
          channel: projectChannel(run.projectId),
          event: jobRunUpdatedEvent(updated),
        });
        return { result: "fanned-out" as const, items: items.length };
      },
      { maxWait: 30_000, timeout: 120_000 },
    );
  } catch (error) {
    if (error instanceof SupersededAttempt) return { result: "superseded", items: 0 };
    throw error;
  }
}
