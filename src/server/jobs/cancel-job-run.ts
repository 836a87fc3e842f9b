/**
 * Cancels a queued or running job. The run is marked CANCELLED under its lock; from that commit
 * on no item is recorded any more (recordItemOutcome checks the status under the same lock), and
 * workers drain the remaining items without doing their work.
 */
import "server-only";
import { recordChange } from "~/server/audit/record-change";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { jobRunUpdatedEvent } from "./job-run-records";
import { lockJobRun } from "./record-item-outcome";

export async function cancelJobRun(options: {
  db: Db;
  projectId: string;
  jobRunId: string;
  actorId: string;
}): Promise<void> {
  const { db, projectId, jobRunId } = options;
  await db.$transaction(
    async (tx) => {
      await lockJobRun(tx, jobRunId);
      const run = await tx.jobRun.findFirst({ where: { id: jobRunId, projectId } });
      if (!run) throw new AppError("NOT_FOUND", "Job not found");
      if (run.status !== "QUEUED" && run.status !== "RUNNING") {
        throw new AppError("CONFLICT", `The job has already ended (${run.status.toLowerCase()})`);
      }
      const updated = await tx.jobRun.update({
        where: { id: run.id },
        data: { status: "CANCELLED", finishedAt: new Date() },
      });
      await recordChange(tx, {
        projectId,
        actorId: options.actorId,
        action: "job.cancel",
        target: { type: "JobRun", id: run.id },
        data: { progressDone: run.progressDone, progressTotal: run.progressTotal },
        event: jobRunUpdatedEvent(updated),
      });
    },
    { maxWait: 30_000, timeout: 30_000 },
  );
}
