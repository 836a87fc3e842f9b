/**
 * THE way a background job is started as a JobRun. In one transaction: take the start lock,
 * return the run already queued or running for the same thing (double clicks, two colleagues at
 * once), otherwise create the QUEUED JobRun, queue its job with pg-boss and record the change
 * (audit "job.start" + live "job-run.updated"). A job never exists without its run, nor the other
 * way round, and nobody hears of a start that rolled back.
 *
 * The payload is the run's persisted `JobRun.payload`, parsed by the job's definition before
 * anything is written; the queue payload is taken from it (the queue schema keeps only its own
 * fields), so each job type describes its payloads in one place: its definition file.
 */
import "server-only";
import { z } from "zod";
import type { Prisma } from "~/generated/prisma/client";
import { recordChange } from "~/server/audit/record-change";
import type { Db } from "~/server/db";
import type { JobDefinition } from "./definitions";
import { jobRunUpdatedEvent } from "./job-run-records";
import { jobQueue, type JobQueue } from "./queue";

/** A job type that is started as a run: its definition declares the run's payload. */
export type StartableJob<
  Payload,
  RunPayloadSchema extends z.ZodType<Prisma.InputJsonObject>,
> = JobDefinition<Payload> & {
  runPayloadSchema: RunPayloadSchema;
};

/** The payload does not fit its job type: a bug in the caller, so nothing was written. */
export class InvalidJobPayloadError extends Error {
  constructor(jobType: string, error: z.ZodError) {
    super(`Invalid payload for a "${jobType}" job run: ${z.prettifyError(error)}`);
    this.name = "InvalidJobPayloadError";
  }
}

export type StartedJobRun = { jobRunId: string; alreadyRunning: boolean };

export async function startJobRun<Payload, RunPayloadSchema extends z.ZodType<Prisma.InputJsonObject>>(options: {
  db: Db;
  job: StartableJob<Payload, RunPayloadSchema>;
  projectId: string;
  actorId: string;
  /** The run's payload (JobRun.payload); the queue payload is derived from it. */
  payload: z.input<RunPayloadSchema>;
  /**
   * Whether a queued or running run of this type in the project (its parsed payload) is "the
   * same" start, which is then returned instead of a second run.
   */
  isSameRun: (active: z.output<RunPayloadSchema>) => boolean;
  /**
   * What serialises concurrent starts so the "already running" check holds; starts that
   * `isSameRun` could match must share it. @default one lock per job type and project
   */
  lockKey?: string;
  /** @default 0 (the handler sets it once it knows) */
  progressTotal?: number;
  /** Extra fields of the "job.start" audit row (the job type is always recorded). */
  auditData?: Record<string, Prisma.InputJsonValue | null>;
  /** @default the process's queue */
  queue?: JobQueue;
}): Promise<StartedJobRun> {
  const { db, job, projectId } = options;
  const parsed = job.runPayloadSchema.safeParse(options.payload);
  if (!parsed.success) throw new InvalidJobPayloadError(job.id, parsed.error);
  const runPayload = parsed.data;
  const queue = options.queue ?? (await jobQueue());
  const lockKey = options.lockKey ?? `${job.id}:${projectId}`;

  return db.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${lockKey}))::text`;
      const active = await tx.jobRun.findMany({
        where: { projectId, type: job.id, status: { in: ["QUEUED", "RUNNING"] } },
        orderBy: { createdAt: "asc" },
        select: { id: true, payload: true },
      });
      const same = active.find((run) => {
        const payload = job.runPayloadSchema.safeParse(run.payload);
        return payload.success && options.isSameRun(payload.data);
      });
      if (same) return { jobRunId: same.id, alreadyRunning: true };

      const run = await tx.jobRun.create({
        data: {
          projectId,
          type: job.id,
          status: "QUEUED",
          progressTotal: options.progressTotal ?? 0,
          payload: runPayload,
          createdById: options.actorId,
        },
      });
      const queuePayload = job.payloadSchema.parse({
        ...runPayload,
        version: job.version,
        jobRunId: run.id,
        projectId,
      });
      await queue.send(job, queuePayload, { tx });
      await recordChange(tx, {
        projectId,
        actorId: options.actorId,
        action: "job.start",
        target: { type: "JobRun", id: run.id },
        data: { type: job.id, ...options.auditData },
        event: jobRunUpdatedEvent(run),
      });
      return { jobRunId: run.id, alreadyRunning: false };
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
}
