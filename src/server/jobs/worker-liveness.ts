/**
 * Worker liveness: how a crashed worker's jobs come back within seconds instead of after their
 * expiry (JOB_ITEM_EXPIRE_SECONDS, kept long for honest long items).
 *
 * Every worker process registers a WorkerLiveness row (a uuid per process) and beats it every
 * BEAT_MS; it writes an ActiveJobLease row when it starts a job and deletes it when the job
 * ends. Every worker also sweeps every SWEEP_MS, one at a time (a transaction-level advisory
 * lock; the others skip that round): a worker whose last beat is older than DEAD_AFTER_MS is
 * presumed dead, each job it still holds as active is failed through pg-boss (`fail`, the same
 * path as an expiry: its retry limit, retry count and dead-letter queue apply, and another worker
 * takes the retry at once), and its rows are deleted. A worker that stops gracefully deletes its
 * own row.
 *
 * Times are the database's clock (UTC), never a process's, so hosts need not agree on the time.
 * A worker wrongly presumed dead (a stalled event loop, a database blip) loses nothing and
 * counts nothing twice: its next beat registers it again, and whichever attempt completes the
 * queue job first records the result; the other finds the job no longer active and writes
 * nothing (record-item-outcome.ts, single-job-run.ts).
 */
import "server-only";
import { randomUUID } from "node:crypto";
import os from "node:os";
import type PgBoss from "pg-boss";
import type { Db } from "~/server/db";
import { executorFor } from "./queue";

export type LivenessTimings = {
  /** How often a worker beats. */
  beatMs: number;
  /** A worker whose last beat is older than this is presumed dead. */
  deadAfterMs: number;
  /** How often a worker looks for dead workers. */
  sweepMs: number;
};

/** Crash to retry: at most deadAfterMs + sweepMs (+ the survivors' polling interval), ~20 s. */
export const LIVENESS_TIMINGS: LivenessTimings = { beatMs: 5_000, deadAfterMs: 15_000, sweepMs: 5_000 };

/** The advisory lock one sweeper holds at a time (an arbitrary constant of this application). */
const SWEEP_LOCK_KEY = 0x76636363_00000001n;

type Logger = (message: string) => void;

export type WorkerLiveness = {
  workerId: string;
  /** Records that this worker runs `jobId` (or each of a batch) now, before any work on it. */
  lease: (queue: string, jobId: string | readonly string[]) => Promise<void>;
  /** Records that this worker no longer runs `jobId` (or each of a batch). */
  release: (jobId: string | readonly string[]) => Promise<void>;
  /** Stops sweeping (others sweep); the worker keeps beating while its jobs finish. */
  stopSweeping: () => Promise<void>;
  /** Stops beating and deletes this worker's rows (graceful shutdown, after its jobs ended). */
  stop: () => Promise<void>;
};

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Registers this process and starts its beat and its sweeps. */
export async function startWorkerLiveness(options: {
  db: Db;
  boss: PgBoss;
  log: Logger;
  timings?: Partial<LivenessTimings>;
}): Promise<WorkerLiveness> {
  const { db, boss, log } = options;
  const timings = { ...LIVENESS_TIMINGS, ...options.timings };
  const workerId = randomUUID();
  const host = os.hostname();
  const pid = process.pid;

  /** Upserts this worker's row; true when the row was (re)created. */
  async function beat(): Promise<boolean> {
    const rows = await db.$queryRaw<{ created: boolean }[]>`
      INSERT INTO "WorkerLiveness" ("workerId", "host", "pid", "startedAt", "lastSeenAt")
      VALUES (${workerId}, ${host}, ${pid}, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
      ON CONFLICT ("workerId") DO UPDATE SET "lastSeenAt" = EXCLUDED."lastSeenAt"
      RETURNING (xmax = 0) AS created`;
    return rows[0]?.created === true;
  }

  await beat();

  let stopped = false;
  let sweeping = true;
  let running: Promise<unknown> = Promise.resolve();
  const track = <T>(promise: Promise<T>): Promise<T> => {
    running = Promise.allSettled([running, promise]);
    return promise;
  };

  const beatTimer = setInterval(() => {
    void track(
      beat().then(
        (created) => {
          if (created && !stopped) log(`worker ${workerId} was presumed dead by a sweeper: registered again`);
        },
        (error: unknown) => log(`worker heartbeat failed: ${errorText(error)}`),
      ),
    );
  }, timings.beatMs);
  beatTimer.unref();

  // Jitter so that workers started together do not all try the lock at the same instant.
  const sweepTimer = setInterval(
    () => {
      if (!sweeping) return;
      void track(
        sweepDeadWorkers({ db, boss, deadAfterMs: timings.deadAfterMs }).then(
          (swept) => {
            for (const worker of swept)
              log(
                `worker ${worker.workerId} (${worker.host} pid ${worker.pid}) stopped beating: ` +
                  `${worker.jobIds.length} of its jobs go back to the queue now` +
                  (worker.jobIds.length ? ` (${worker.jobIds.join(", ")})` : ""),
              );
          },
          (error: unknown) => log(`worker liveness sweep failed: ${errorText(error)}`),
        ),
      );
    },
    timings.sweepMs + Math.floor(Math.random() * 500),
  );
  sweepTimer.unref();

  return {
    workerId,
    lease: async (queue, jobId) => {
      const jobIds = typeof jobId === "string" ? [jobId] : [...jobId];
      if (jobIds.length === 0) return;
      // Takes the rows over from earlier attempts of the same jobs; registers this worker again
      // first if a sweeper deleted it (the lease needs its worker row). One statement per batch.
      await db.$executeRaw`
        WITH worker AS (
          INSERT INTO "WorkerLiveness" ("workerId", "host", "pid", "startedAt", "lastSeenAt")
          VALUES (${workerId}, ${host}, ${pid}, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
          ON CONFLICT ("workerId") DO UPDATE SET "lastSeenAt" = EXCLUDED."lastSeenAt"
        )
        INSERT INTO "ActiveJobLease" ("jobId", "queue", "workerId", "startedAt")
        SELECT job, ${queue}, ${workerId}, now() AT TIME ZONE 'UTC' FROM unnest(${jobIds}::text[]) AS job
        ON CONFLICT ("jobId") DO UPDATE
          SET "queue" = EXCLUDED."queue", "workerId" = EXCLUDED."workerId", "startedAt" = EXCLUDED."startedAt"`;
    },
    release: async (jobId) => {
      const jobIds = typeof jobId === "string" ? [jobId] : [...jobId];
      if (jobIds.length === 0) return;
      await db.$executeRaw`DELETE FROM "ActiveJobLease" WHERE "jobId" = ANY(${jobIds}::text[]) AND "workerId" = ${workerId}`;
    },
    stopSweeping: async () => {
      sweeping = false;
      clearInterval(sweepTimer);
      await running;
    },
    stop: async () => {
      stopped = true;
      sweeping = false;
      clearInterval(sweepTimer);
      clearInterval(beatTimer);
      await running;
      await db.$executeRaw`DELETE FROM "WorkerLiveness" WHERE "workerId" = ${workerId}`;
    },
  };
}

export type SweptWorker = { workerId: string; host: string; pid: number; jobIds: string[] };

/**
 * One sweep: fails the active jobs of every worker whose last beat is older than `deadAfterMs`
 * (pg-boss then retries them at once, within their retry limit) and deletes those workers' rows.
 * Nothing when another sweeper holds the lock.
 */
export async function sweepDeadWorkers(options: { db: Db; boss: PgBoss; deadAfterMs: number }): Promise<SweptWorker[]> {
  const { db, boss } = options;
  const deadAfterSeconds = options.deadAfterMs / 1000;
  return db.$transaction(
    async (tx) => {
      const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`
        SELECT pg_try_advisory_xact_lock(${SWEEP_LOCK_KEY}) AS locked`;
      if (!lock?.locked) return [];
      const dead = await tx.$queryRaw<{ workerId: string; host: string; pid: number }[]>`
        SELECT "workerId", "host", "pid" FROM "WorkerLiveness"
        WHERE "lastSeenAt" < (now() AT TIME ZONE 'UTC') - make_interval(secs => ${deadAfterSeconds}::double precision)
        FOR UPDATE SKIP LOCKED`;
      const swept: SweptWorker[] = [];
      for (const worker of dead) {
        // Only the attempt the dead worker started: a job the queue already gave to someone else
        // (it expired meanwhile) started after the lease and is left alone.
        const leases = await tx.$queryRaw<{ jobId: string; queue: string }[]>`
          SELECT l."jobId", l."queue"
          FROM "ActiveJobLease" l
          JOIN pgboss.job j ON j.id = l."jobId"::uuid AND j.name = l."queue"
          WHERE l."workerId" = ${worker.workerId}
            AND j.state = 'active'
            AND j.started_on <= (l."startedAt" AT TIME ZONE 'UTC') + interval '1 millisecond'
          FOR UPDATE OF l, j`;
        const jobIds: string[] = [];
        for (const lease of leases) {
          const result = (await boss.fail(
            lease.queue,
            lease.jobId,
            { message: `worker ${worker.host} pid ${worker.pid} stopped responding while running this job` },
            { db: executorFor(tx) },
          )) as unknown as { affected: number };
          if (result.affected > 0) jobIds.push(lease.jobId);
        }
        // Its leases go with it (ON DELETE CASCADE).
        await tx.$executeRaw`DELETE FROM "WorkerLiveness" WHERE "workerId" = ${worker.workerId}`;
        swept.push({ ...worker, jobIds });
      }
      return swept;
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
}
