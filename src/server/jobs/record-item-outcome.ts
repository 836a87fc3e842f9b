/**
 * Records what happened to one item (image) of a running JobRun, exactly once: the analysis row,
 * the run's counters, its completion and the completion of the item's queue job commit in one
 * transaction, under a lock on the run. If the queue no longer holds the job as active (it
 * expired and another worker took it, or that worker already finished it), nothing is written,
 * so a result can never be counted twice. A run that is no longer RUNNING (cancelled) takes no
 * further results. A run under a settings version also records the image's result (or failure) as
 * that version's SettingsResult, in the same transaction: what exports report.
 */
import "server-only";
import type { Db } from "~/server/db";
import type { ComputedImageAnalysis } from "~/server/analysis/compute-image-analysis";
import { upsertAnalysis } from "~/server/analysis/upsert-analysis";
import { recordSettingsResult } from "~/server/settings/settings-results";
import type { JobRun } from "~/generated/prisma/client";
import { projectChannel, publishEvent } from "~/server/events";
import { jobRunUpdatedEvent, parseFailures } from "./job-run-records";
import type { Tx } from "./queue";

export type ItemOutcome =
  | {
      kind: "analysed";
      analysis: ComputedImageAnalysis;
      /** The image's object set, when the run measures objects. */ objectSetId?: string;
    }
  /** An item that writes its own results before it is recorded (SAM 2): only the run's counters. */
  | { kind: "done" }
  | { kind: "failed"; reason: string };

/** "recorded"; "run-not-running": the run was cancelled or is gone; "superseded": another attempt owns the item. */
export type RecordItemResult = "recorded" | "run-not-running" | "superseded";

class SupersededAttempt extends Error {}

/** Locks a JobRun row until the end of the transaction (serialises its counters). */
export async function lockJobRun(tx: Tx, jobRunId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "JobRun" WHERE id = ${jobRunId} FOR UPDATE`;
}

/** The JobRun, locked until the end of the transaction (null when it is gone). */
export async function findLockedJobRun(tx: Tx, jobRunId: string): Promise<JobRun | null> {
  await lockJobRun(tx, jobRunId);
  return tx.jobRun.findUnique({ where: { id: jobRunId } });
}

export async function recordItemOutcome(options: {
  db: Db;
  jobRunId: string;
  imageId: string;
  outcome: ItemOutcome;
  /** The settings version the run reports under (AnalysisSettings id), or null. */
  settingsId: string | null;
  /** Completes the item's queue job inside the transaction; false if the attempt is stale. */
  completeQueueJob: (tx: Tx) => Promise<boolean>;
}): Promise<RecordItemResult> {
  const { db, jobRunId, imageId, outcome } = options;
  try {
    return await db.$transaction(
      async (tx): Promise<RecordItemResult> => {
        const run = await findLockedJobRun(tx, jobRunId);
        if (!run || run.status !== "RUNNING") {
          // Nothing to record, but the queue job is settled so it is not retried.
          await options.completeQueueJob(tx);
          return "run-not-running";
        }
        if (!(await options.completeQueueJob(tx))) throw new SupersededAttempt();

        const failures = parseFailures(run.failures);
        if (outcome.kind === "analysed") {
          const { analysisId } = await upsertAnalysis({ db: tx, analysis: outcome.analysis });
          if (options.settingsId) {
            await recordSettingsResult(tx, {
              projectId: run.projectId,
              settingsId: options.settingsId,
              imageId,
              analysisId,
              objectSetId: outcome.objectSetId ?? null,
              failure: null,
            });
          }
        } else if (outcome.kind === "failed") {
          if (options.settingsId) {
            await recordSettingsResult(tx, {
              projectId: run.projectId,
              settingsId: options.settingsId,
              imageId,
              analysisId: null,
              objectSetId: null,
              failure: outcome.reason,
            });
          }
          const image = await tx.image.findUnique({ where: { id: imageId }, select: { fileName: true } });
          failures.push({
            imageId,
            fileName: image?.fileName ?? null,
            reason: outcome.reason,
            at: new Date().toISOString(),
          });
        }
        const progressDone = run.progressDone + 1;
        const failedCount = run.failedCount + (outcome.kind === "failed" ? 1 : 0);
        const finished = progressDone >= run.progressTotal;
        const updated = await tx.jobRun.update({
          where: { id: jobRunId },
          data: {
            progressDone,
            failedCount,
            failures,
            ...(finished
              ? { status: failedCount === progressDone ? "FAILED" : "SUCCEEDED", finishedAt: new Date() }
              : {}),
            ...(finished && failedCount === progressDone ? { error: "every item failed" } : {}),
          },
        });
        await publishEvent({
          db: tx,
          channel: projectChannel(run.projectId),
          event: jobRunUpdatedEvent(updated),
        });
        return "recorded";
      },
      { maxWait: 30_000, timeout: 60_000 },
    );
  } catch (error) {
    if (error instanceof SupersededAttempt) return "superseded";
    throw error;
  }
}
