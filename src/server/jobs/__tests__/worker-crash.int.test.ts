/**
 * Scale-out and crash safety with real processes: two workers (`scripts/worker.ts`, as
 * `npm run worker` starts them) share a 50-image dataset job; one is SIGKILLed mid-way. Its
 * in-flight image must come back to the queue and be done by the other, every image must end
 * with exactly one Analysis row, and the run must report 50/50 SUCCEEDED. With the default
 * settings (the 300 s item expiry, 30 s maintenance): the survivor must see the dead worker's
 * stale heartbeat and retry its image within 30 s, and the run must finish within 60 s of the kill.
 */
import type { ChildProcess } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "~/server/db";
import { seedProject } from "../../../../tests/helpers/seed";
import { stopJobQueue } from "../queue";
import { startDatasetAnalysis } from "../start-dataset-analysis";
import { seedDataset, TINY_MODEL, waitFor } from "./seed-images";
import {
  spawnWorker as spawnTestWorker,
  stopWorkers,
  type SpawnedWorker,
} from "../../../../tests/helpers/spawned-worker";

const IMAGES = 50;
const workers: ChildProcess[] = [];

function spawnWorker(name: string): SpawnedWorker {
  return spawnTestWorker(
    name,
    {
      DATABASE_URL: process.env.DATABASE_URL,
      DATA_DIR: process.env.DATA_DIR,
      INFERENCE_MODEL: TINY_MODEL,
      INFERENCE_PROVIDER: "cpu",
      WORKER_CONCURRENCY: "1",
      // The defaults, whatever the environment of the test run says: no shortened expiry.
      JOB_ITEM_EXPIRE_SECONDS: undefined,
      JOB_ITEM_RETRY_LIMIT: undefined,
      JOB_MAINTENANCE_SECONDS: undefined,
      JOB_POLL_SECONDS: undefined,
      WORKER_LOG_JOBS: "1",
    },
    workers,
  );
}

afterAll(async () => {
  await stopWorkers(workers);
  await stopJobQueue();
});

async function activeItemJobs(): Promise<number> {
  const rows = await db.$queryRaw<
    { n: bigint }[]
  >`SELECT count(*) AS n FROM pgboss.job WHERE name = 'analyse-image' AND state = 'active'`;
  return Number(rows[0]?.n ?? 0);
}

describe("two worker processes, one killed mid-job", () => {
  it("loses nothing and processes nothing twice", { timeout: 180_000 }, async () => {
    const { project, users } = await seedProject(db, { editor: "EDITOR" });
    const { datasetId, imageIds } = await seedDataset({ db, projectId: project.id, count: IMAGES });
    const a = spawnWorker("a");
    const b = spawnWorker("b");
    await Promise.all([a.ready, b.ready]);

    const { jobRunId } = await startDatasetAnalysis({
      db,
      projectId: project.id,
      datasetId,
      actorId: users.editor!.id,
    });
    // After some progress, kill worker a the moment it starts an image (it logs the start before
    // any work), so it surely dies holding one.
    await waitFor(
      async () =>
        (await db.jobRun.findUniqueOrThrow({ where: { id: jobRunId } })).progressDone >= 8 ? true : undefined,
      { timeoutMs: 60_000, what: "some progress" },
    );
    const killedJobId = await new Promise<string>((resolve) =>
      a.onOutput((text) => {
        const started = /analyse-image (\S+) started/.exec(text);
        if (started?.[1] && a.child.signalCode === null) {
          a.child.kill("SIGKILL");
          resolve(started[1]);
        }
      }),
    );
    const killedAt = Date.now();
    // The survivor logs the retry of the dead worker's image as its second attempt.
    let retryStartedAt: number | undefined;
    const retryLine = new RegExp(`analyse-image ${killedJobId} started \\(attempt 2\\)`);
    if (retryLine.test(b.output())) retryStartedAt = Date.now();
    b.onOutput(() => {
      if (retryStartedAt === undefined && retryLine.test(b.output())) retryStartedAt = Date.now();
    });
    expect(await activeItemJobs()).toBeGreaterThanOrEqual(1);
    const atKill = await db.jobRun.findUniqueOrThrow({ where: { id: jobRunId } });
    expect(atKill.progressDone).toBeLessThan(IMAGES);

    const finished = await waitFor(
      async () => {
        const run = await db.jobRun.findUniqueOrThrow({ where: { id: jobRunId } });
        return run.status === "RUNNING" || run.status === "QUEUED" ? undefined : run;
      },
      { timeoutMs: 90_000, what: `the run to finish (worker b output:\n${b.output()})` },
    );
    const finishedAt = Date.now();
    console.log(
      `worker-crash timings: kill -> retry of ${killedJobId} started ${retryStartedAt === undefined ? "never" : `${((retryStartedAt - killedAt) / 1000).toFixed(1)} s`}, ` +
        `kill -> run finished ${((finishedAt - killedAt) / 1000).toFixed(1)} s`,
    );
    // Not the 300 s expiry: the dead worker's stale heartbeat.
    expect(retryStartedAt, `worker b output:\n${b.output()}`).toBeDefined();
    expect(retryStartedAt! - killedAt).toBeLessThan(30_000);
    expect(finishedAt - killedAt).toBeLessThan(60_000);
    // All the jobs the dead worker held go back: its batch (WORKER_BATCH_SIZE), the killed one among them.
    const handedBack = /stopped beating: (\d+) of its jobs go back to the queue now \(([^)]*)\)/.exec(b.output());
    expect(Number(handedBack?.[1])).toBeGreaterThanOrEqual(1);
    expect(Number(handedBack?.[1])).toBeLessThanOrEqual(8);
    expect(handedBack?.[2]).toContain(killedJobId);
    expect(finished).toMatchObject({
      status: "SUCCEEDED",
      progressDone: IMAGES,
      progressTotal: IMAGES,
      failedCount: 0,
    });

    // Exactly one result per image (the unique key would also refuse a second one).
    const perImage = await db.analysis.groupBy({
      by: ["imageId"],
      where: { imageId: { in: imageIds } },
      _count: true,
    });
    expect(perImage).toHaveLength(IMAGES);
    expect(perImage.every((row) => row._count === 1)).toBe(true);

    // The killed worker's image really went through the queue a second time.
    const retried = await db.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM pgboss.job WHERE name = 'analyse-image' AND retry_count > 0 AND data->>'jobRunId' = ${jobRunId}`;
    expect(Number(retried[0]?.n)).toBeGreaterThanOrEqual(1);
    // Both workers did part of the work.
    expect(a.output()).toContain("taking jobs");
    expect(b.child.exitCode).toBeNull();
  });
});
