/**
 * The life of a JobRun that is one queue job (retrain-model, export), as opposed to analysis
 * runs of many items: start it, report progress, then finish or fail it. Each step locks the run
 * and checks its status, so a cancelled run takes no further progress or result, and the result
 * commits together with the completion of the queue job (a stale attempt writes nothing).
 */
import "server-only";
import type { JobRun, Prisma } from "~/generated/prisma/client";
import type { Db } from "~/server/db";
import type { BlobStore } from "~/server/storage";
import { projectChannel, publishEvent } from "~/server/events";
import { jobRunUpdatedEvent } from "./job-run-records";
import type { Tx } from "./queue";
import { findLockedJobRun } from "./record-item-outcome";

export type SingleJobResult = "recorded" | "run-not-running" | "superseded";

/** What a single-job handler returns: how recording went (or why it stopped), plus its own details. */
export type SingleJobOutcome<Details> = {
  result: SingleJobResult | "failed" | "cancelled";
  error?: string;
} & Details;

/** What the worker gives the handler of a single-job run (retrain-model, export). */
export type SingleJobHandlerOptions<Payload> = {
  db: Db;
  store: BlobStore;
  payload: Payload;
  completeQueueJob: (tx: Tx) => Promise<boolean>;
  /** The queue will not retry after this attempt: a transient error then fails the run too. */
  finalAttempt?: boolean;
};

class SupersededAttempt extends Error {}

/** Updates the run and announces it ("job-run.updated"), in the transaction `tx`. */
async function updateJobRun(tx: Tx, jobRunId: string, data: Prisma.JobRunUpdateInput): Promise<JobRun> {
  const updated = await tx.jobRun.update({ where: { id: jobRunId }, data });
  await publishEvent({ db: tx, channel: projectChannel(updated.projectId), event: jobRunUpdatedEvent(updated) });
  return updated;
}

function mergePayload(run: JobRun, patch: Record<string, unknown> | undefined): Prisma.InputJsonValue {
  const current =
    typeof run.payload === "object" && run.payload !== null && !Array.isArray(run.payload) ? run.payload : {};
  return { ...current, ...patch } as Prisma.InputJsonValue;
}

/**
 * Marks the run RUNNING (again, after a worker died on it). Null when it is no longer wanted
 * (cancelled, finished, gone): the queue job is then completed without work.
 */
export async function beginSingleJobRun(options: {
  db: Db;
  jobRunId: string;
  completeQueueJob: (tx: Tx) => Promise<boolean>;
  payload?: Record<string, unknown>;
}): Promise<JobRun | null> {
  return options.db.$transaction(async (tx) => {
    const run = await findLockedJobRun(tx, options.jobRunId);
    if (!run || (run.status !== "QUEUED" && run.status !== "RUNNING")) {
      await options.completeQueueJob(tx);
      return null;
    }
    return updateJobRun(tx, run.id, {
      status: "RUNNING",
      startedAt: run.startedAt ?? new Date(),
      progressDone: 0,
      error: null,
      payload: mergePayload(run, options.payload),
    });
  });
}

/** Records progress; false when the run is no longer RUNNING (cancelled): stop working. */
export async function reportSingleJobProgress(options: {
  db: Db;
  jobRunId: string;
  done: number;
  total: number;
  payload?: Record<string, unknown>;
}): Promise<boolean> {
  return options.db.$transaction(async (tx) => {
    const run = await findLockedJobRun(tx, options.jobRunId);
    if (!run || run.status !== "RUNNING") return false;
    await updateJobRun(tx, run.id, {
      progressDone: options.done,
      progressTotal: options.total,
      payload: mergePayload(run, options.payload),
    });
    return true;
  });
}

/**
 * Writes the result (`write`, in the transaction), marks the run SUCCEEDED with `payload` merged
 * in, and completes the queue job, all or nothing.
 */
export async function finishSingleJobRun<T>(options: {
  db: Db;
  jobRunId: string;
  completeQueueJob: (tx: Tx) => Promise<boolean>;
  write: (tx: Tx, run: JobRun) => Promise<T>;
  payload: (written: T) => Record<string, unknown>;
}): Promise<{ result: SingleJobResult; written?: T }> {
  try {
    return await options.db.$transaction(
      async (tx) => {
        const run = await findLockedJobRun(tx, options.jobRunId);
        if (!run || run.status !== "RUNNING") {
          await options.completeQueueJob(tx);
          return { result: "run-not-running" as const };
        }
        if (!(await options.completeQueueJob(tx))) throw new SupersededAttempt();
        const written = await options.write(tx, run);
        await updateJobRun(tx, run.id, {
          status: "SUCCEEDED",
          finishedAt: new Date(),
          progressDone: run.progressTotal,
          payload: mergePayload(run, options.payload(written)),
        });
        return { result: "recorded" as const, written };
      },
      { maxWait: 30_000, timeout: 60_000 },
    );
  } catch (error) {
    if (error instanceof SupersededAttempt) return { result: "superseded" };
    throw error;
  }
}

/** Marks the run FAILED with a message for the user and completes the queue job (no retry). */
export async function failSingleJobRun(options: {
  db: Db;
  jobRunId: string;
  error: string;
  completeQueueJob: (tx: Tx) => Promise<boolean>;
}): Promise<SingleJobResult> {
  return options.db.$transaction(async (tx) => {
    const run = await findLockedJobRun(tx, options.jobRunId);
    await options.completeQueueJob(tx);
    if (!run || run.status !== "RUNNING") return "run-not-running";
    await updateJobRun(tx, run.id, { status: "FAILED", finishedAt: new Date(), error: options.error.slice(0, 2000) });
    return "recorded";
  });
}

/**
 * One attempt at a single-job run: begins the run (merging `startPayload` into its payload), then
 * does `work`. An error that `isPermanent` calls permanent, or any error on the final attempt,
 * fails the run with its message; other errors are thrown so that the queue retries the job.
 */
export async function attemptSingleJobRun<R>(
  options: Omit<SingleJobHandlerOptions<{ jobRunId: string }>, "store"> & {
    startPayload: Record<string, unknown>;
    isPermanent: (error: unknown) => boolean;
  },
  work: (run: JobRun) => Promise<R>,
): Promise<R | { result: "run-not-running" } | { result: "failed"; error: string }> {
  const { db, completeQueueJob } = options;
  const run = await beginSingleJobRun({
    db,
    jobRunId: options.payload.jobRunId,
    completeQueueJob,
    payload: options.startPayload,
  });
  if (!run) return { result: "run-not-running" };
  try {
    return await work(run);
  } catch (error) {
    if (!options.isPermanent(error) && !options.finalAttempt) throw error;
    const message = error instanceof Error ? error.message : String(error);
    await failSingleJobRun({ db, jobRunId: run.id, error: message, completeQueueJob });
    return { result: "failed", error: message };
  }
}
