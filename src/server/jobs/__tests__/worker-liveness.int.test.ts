/**
 * The liveness sweep on the real database and pg-boss: the active jobs of a worker whose beat is
 * stale go back to the queue at once (through pg-boss's own failure path, so the retry limit
 * holds), its rows go, and live workers, later attempts and finished jobs are left alone.
 */
import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/server/db";
import { jobSettings } from "../job-settings";
import { startPgBoss, type PgBossJobQueue } from "../queue";
import { startWorkerLiveness, sweepDeadWorkers } from "../worker-liveness";

const QUEUE = "liveness-test";
let queue: PgBossJobQueue;
let boss: PgBoss;

beforeAll(async () => {
  queue = await startPgBoss({ role: "web", settings: jobSettings() });
  boss = queue.boss;
  await boss.createQueue(QUEUE, { name: QUEUE, retryLimit: 1, expireInSeconds: 300 });
});

afterAll(async () => {
  await boss.stop({ graceful: false, close: true, wait: true });
  await db.$disconnect();
});

/** Sends a job and takes it, as a worker would: it is then active. */
async function activeJob(): Promise<string> {
  const id = await boss.send(QUEUE, {});
  const [job] = await boss.fetch(QUEUE, { batchSize: 1, includeMetadata: true });
  expect(job?.id).toBe(id);
  return id!;
}

async function fakeWorker(workerId: string, lastSeenSecondsAgo: number, jobIds: string[]): Promise<void> {
  await db.$executeRaw`
    INSERT INTO "WorkerLiveness" ("workerId", "host", "pid", "startedAt", "lastSeenAt")
    VALUES (${workerId}, 'test-host', 4242, now() AT TIME ZONE 'UTC' - interval '1 hour',
            now() AT TIME ZONE 'UTC' - make_interval(secs => ${lastSeenSecondsAgo}::double precision))`;
  for (const jobId of jobIds)
    await db.$executeRaw`
      INSERT INTO "ActiveJobLease" ("jobId", "queue", "workerId", "startedAt")
      VALUES (${jobId}, ${QUEUE}, ${workerId}, now() AT TIME ZONE 'UTC')`;
}

async function jobState(id: string): Promise<{ state: string; retryCount: number }> {
  const job = await boss.getJobById(QUEUE, id, { includeArchive: true });
  return { state: job!.state, retryCount: job!.retryCount };
}

describe("sweepDeadWorkers", () => {
  it("hands a dead worker's active jobs back to the queue at once and forgets it", async () => {
    const deadJob = await activeJob();
    const liveJob = await activeJob();
    await fakeWorker("dead-worker", 60, [deadJob]);
    await fakeWorker("live-worker", 1, [liveJob]);

    const swept = await sweepDeadWorkers({ db, boss, deadAfterMs: 15_000 });

    expect(swept).toEqual([{ workerId: "dead-worker", host: "test-host", pid: 4242, jobIds: [deadJob] }]);
    const retried = await boss.getJobById(QUEUE, deadJob);
    expect(retried?.state).toBe("retry");
    expect(retried!.startAfter.getTime()).toBeLessThanOrEqual(Date.now() + 1_000);
    expect((retried?.output as { message?: string } | null)?.message).toMatch(/stopped responding/);
    expect(await jobState(liveJob)).toMatchObject({ state: "active" });
    expect(await db.workerLiveness.findMany({ select: { workerId: true } })).toEqual([{ workerId: "live-worker" }]);
    expect(await db.activeJobLease.findMany({ select: { jobId: true } })).toEqual([{ jobId: liveJob }]);

    // Taken again, it counts as a retry; failing once more exhausts its limit (1): pg-boss's rules.
    const [again] = await boss.fetch(QUEUE, { batchSize: 1, includeMetadata: true });
    expect(again?.id).toBe(deadJob);
    expect(again?.retryCount).toBe(1);
    await fakeWorker("dead-again", 60, [deadJob]);
    await db.$executeRaw`UPDATE "ActiveJobLease" SET "startedAt" = now() AT TIME ZONE 'UTC' WHERE "jobId" = ${deadJob}`;
    await sweepDeadWorkers({ db, boss, deadAfterMs: 15_000 });
    expect(await jobState(deadJob)).toMatchObject({ state: "failed", retryCount: 1 });

    await db.workerLiveness.deleteMany();
    await boss.complete(QUEUE, liveJob);
  });

  it("leaves a job alone that another worker took after the dead one's lease, and finished jobs", async () => {
    const finished = await activeJob();
    await boss.complete(QUEUE, finished);
    // A lease older than the job's current attempt: the job expired and someone else runs it.
    const retaken = await activeJob();
    await fakeWorker("dead-worker", 60, [finished, retaken]);
    await db.$executeRaw`UPDATE "ActiveJobLease" SET "startedAt" = now() AT TIME ZONE 'UTC' - interval '10 minutes' WHERE "jobId" = ${retaken}`;

    const swept = await sweepDeadWorkers({ db, boss, deadAfterMs: 15_000 });

    expect(swept).toEqual([{ workerId: "dead-worker", host: "test-host", pid: 4242, jobIds: [] }]);
    expect(await jobState(finished)).toMatchObject({ state: "completed" });
    expect(await jobState(retaken)).toMatchObject({ state: "active" });
    expect(await db.activeJobLease.count()).toBe(0);
    await boss.complete(QUEUE, retaken);
  });

  it("registers a worker, leases its jobs, and removes it on a graceful stop", async () => {
    const logs: string[] = [];
    const liveness = await startWorkerLiveness({ db, boss, log: (m) => logs.push(m) });
    const row = await db.workerLiveness.findUniqueOrThrow({ where: { workerId: liveness.workerId } });
    expect(row.pid).toBe(process.pid);
    const jobId = await activeJob();
    await liveness.lease(QUEUE, jobId);
    expect(await db.activeJobLease.findUnique({ where: { jobId } })).toMatchObject({ workerId: liveness.workerId });
    // A fresh worker is not dead.
    expect(await sweepDeadWorkers({ db, boss, deadAfterMs: 15_000 })).toEqual([]);
    await liveness.release(jobId);
    expect(await db.activeJobLease.count()).toBe(0);
    // Swept by mistake (the row is gone), the next lease registers it again.
    await db.workerLiveness.deleteMany();
    await liveness.lease(QUEUE, jobId);
    expect(await db.workerLiveness.count()).toBe(1);
    await liveness.stop();
    expect(await db.workerLiveness.count()).toBe(0);
    expect(await db.activeJobLease.count()).toBe(0);
    expect(logs).toEqual([]);
    await boss.complete(QUEUE, jobId);
  });
});
