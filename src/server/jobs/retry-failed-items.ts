/**
 * Retries the failed items of a finished analysis run: their failures are taken off the run,
 * the counters reopened and one analyse-image job per item enqueued, all in one transaction.
 * Items whose image has been deleted meanwhile stay failed.
 */
import "server-only";
import { recordChange } from "~/server/audit/record-change";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { analyseImageItem, analyseImageJob } from "./definitions";
import { analysisRunPayloadSchema, JOB_RUN_TYPES, jobRunUpdatedEvent, parseFailures } from "./job-run-records";
import { jobQueue, type JobQueue } from "./queue";
import { lockJobRun } from "./record-item-outcome";

const ANALYSIS_RUN_TYPES: readonly string[] = [JOB_RUN_TYPES.analyseDataset, JOB_RUN_TYPES.analyseImage];

export async function retryFailedItems(options: {
  db: Db;
  projectId: string;
  jobRunId: string;
  actorId: string;
  queue?: JobQueue;
}): Promise<{ retried: number }> {
  const { db, projectId, jobRunId } = options;
  const queue = options.queue ?? (await jobQueue());
  return db.$transaction(
    async (tx) => {
      await lockJobRun(tx, jobRunId);
      const run = await tx.jobRun.findFirst({ where: { id: jobRunId, projectId } });
      if (!run) throw new AppError("NOT_FOUND", "Job not found");
      if (!ANALYSIS_RUN_TYPES.includes(run.type))
        throw new AppError("BAD_INPUT", `Jobs of type ${run.type} cannot retry items`);
      if (run.status !== "SUCCEEDED" && run.status !== "FAILED") {
        throw new AppError("CONFLICT", "Only a finished job can retry its failed items");
      }
      const payload = analysisRunPayloadSchema.parse(run.payload);
      const failures = parseFailures(run.failures);
      const existing = new Set(
        (
          await tx.image.findMany({
            where: { projectId, id: { in: failures.map((f) => f.imageId) } },
            select: { id: true },
          })
        ).map((image) => image.id),
      );
      const retry = failures.filter((f) => existing.has(f.imageId));
      if (retry.length === 0) throw new AppError("CONFLICT", "There are no failed items to retry");
      const items = retry.map((f) => analyseImageItem({ jobRunId: run.id, projectId }, payload, f.imageId));
      await queue.sendMany(analyseImageJob, items, { tx });
      const updated = await tx.jobRun.update({
        where: { id: run.id },
        data: {
          status: "RUNNING",
          failures: failures.filter((f) => !existing.has(f.imageId)),
          failedCount: run.failedCount - retry.length,
          progressDone: run.progressDone - retry.length,
          finishedAt: null,
          error: null,
        },
      });
      await recordChange(tx, {
        projectId,
        actorId: options.actorId,
        action: "job.retry-failed",
        target: { type: "JobRun", id: run.id },
        data: { items: retry.length },
        event: jobRunUpdatedEvent(updated),
      });
      return { retried: retry.length };
    },
    { maxWait: 30_000, timeout: 60_000 },
  );
}
