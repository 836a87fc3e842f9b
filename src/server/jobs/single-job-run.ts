/**
 * The life of a JobRun that is one queue job (retrain-model, export), as opposed to analysis
 * runs of many items: start it, report progress, then finish or fail it. Each step locks the run
 * and checks its status, so a cancelled run takes no further progress or result, and the result
 * commits together with the completion of the queue job (a stale attempt writes nothing).
 */
import "server-only";
import type { JobRun, Prisma } from "~/generated/prisma/client";
import type { Db } from "~/server/db";
import { projectChannel, publishEvent } from "~/server/events";
import { jobRunUpdatedEvent } from "./job-run-records";
import type { Tx } from "./queue";
import { lockJobRun } from "./record-item-outcome";

export type SingleJobResult = "recorded" | "run-not-running" | "superseded";

class SupersededAttempt extends Error {}

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
    await lockJobRun(tx, options.jobRunId);
    const run = await tx.jobRun.findUnique({ where: { id: options.jobRunId } });
    if (!run || (run.status !== "QUEUED" && run.status !== "RUNNING")) {
      await options.completeQueueJob(tx);
      return null;
    }
    const updated = await tx.jobRun.update({
      where: { id: run.id },
      data: {
        status: "RUNNING",
        startedAt: run.startedAt ?? new Date(),
        progressDone: 0,
        error: null,
        payload: mergePayload(run, options.payload),
      },
    });
    await publishEvent({
      db: tx,
      channel: projectChannel(run.projectId),
      event: jobRunUpdatedEvent(updated),
    });
    return updated;
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
    await lockJobRun(tx, options.jobRunId);
    const run = await tx.jobRun.findUnique({ where: { id: options.jobRunId } });
    if (!run || run.status !== "RUNNING") return false;
    const updated = await tx.jobRun.update({
      where: { id: run.id },
      data: {
        progressDone: options.done,
        progressTotal: options.total,
        payload: mergePayload(run, options.payload),
      },
    });
    await publishEvent({
      db: tx,
      channel: projectChannel(run.projectId),
      event: jobRunUpdatedEvent(updated),
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
        await lockJobRun(tx, options.jobRunId);
        const run = await tx.jobRun.findUnique({ where: { id: options.jobRunId } });
        if (!run || run.status !== "RUNNING") {
          await options.completeQueueJob(tx);
          return { result: "run-not-running" as const };
        }
        if (!(await options.completeQueueJob(tx))) throw new SupersededAttempt();
        const written = await options.write(tx, run);
        const updated = await tx.jobRun.update({
          where: { id: run.id },
          data: {
            status: "SUCCEEDED",
            finishedAt: new Date(),
            progressDone: run.progressTotal,
            payload: mergePayload(run, options.payload(written)),
          },
        });
        await publishEvent({
          db: tx,
          channel: projectChannel(run.projectId),
          event: jobRunUpdatedEvent(updated),
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
    await lockJobRun(tx, options.jobRunId);
    const run = await tx.jobRun.findUnique({ where: { id: options.jobRunId } });
    await options.completeQueueJob(tx);
    if (!run || run.status !== "RUNNING") return "run-not-running";
    const updated = await tx.jobRun.update({
      where: { id: run.id },
      data: { status: "FAILED", finishedAt: new Date(), error: options.error.slice(0, 2000) },
    });
    await publishEvent({
      db: tx,
      channel: projectChannel(run.projectId),
      event: jobRunUpdatedEvent(updated),
    });
    return "recorded";
  });
}
