/**
 * The SAM 2 dataset runs with real worker processes (`scripts/worker.ts`, as `npm run worker`
 * starts them), the probe model, real ONNX Runtime and sharp: "prepare SAM for this dataset"
 * stores one embedding per image with progress 10/10; "generate masks for this dataset" makes one
 * ObjectSet of method "sam2" per image, and survives its worker being SIGKILLed mid-run: the
 * dead worker's image goes back to the queue (its heartbeat stops) and a second worker finishes
 * the run, every image recorded once, nothing computed twice into a second row.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/server/db";
import { installSam2Model } from "~/server/inference/sam2/install-sam2-model";
import { PROBE_DIR } from "~/server/inference/sam2/__tests__/sam2-fixtures";
import { seedProject } from "../../../../tests/helpers/seed";
import { stopJobQueue } from "../queue";
import { startSam2Run } from "../start-sam2-run";
import { seedDataset, TINY_MODEL, waitFor, waitForFinishedRun } from "./seed-images";
import {
  spawnWorker as spawnTestWorker,
  stopWorkers,
  type SpawnedWorker,
} from "../../../../tests/helpers/spawned-worker";

const IMAGES = 10;
const workers: ChildProcess[] = [];
let modelsDir: string;

beforeAll(async () => {
  modelsDir = mkdtempSync(path.join(tmpdir(), "vccc-sam2-models-"));
  await installSam2Model({ source: PROBE_DIR, name: "probe", directory: modelsDir });
  process.env.SAM2_MODELS_DIR = modelsDir;
});

afterAll(async () => {
  await stopWorkers(workers);
  await stopJobQueue();
  delete process.env.SAM2_MODELS_DIR;
});

function spawnWorker(name: string): SpawnedWorker {
  return spawnTestWorker(
    name,
    {
      SAM2_MODELS_DIR: modelsDir,
      INFERENCE_MODEL: TINY_MODEL,
      INFERENCE_PROVIDER: "cpu",
      WORKER_CONCURRENCY: "1",
      JOB_ITEM_EXPIRE_SECONDS: undefined,
      JOB_MAINTENANCE_SECONDS: undefined,
      JOB_POLL_SECONDS: "0.5",
      WORKER_LOG_JOBS: "1",
    },
    workers,
  );
}

const run = (id: string) => db.jobRun.findUniqueOrThrow({ where: { id } });

describe("SAM 2 dataset runs", () => {
  it("prepares embeddings, then generates masks across a worker killed mid-run", { timeout: 240_000 }, async () => {
    const { project, users } = await seedProject(db, { editor: "EDITOR" });
    const { datasetId, imageIds } = await seedDataset({ db, projectId: project.id, count: IMAGES });
    const a = spawnWorker("a");
    await a.ready;

    // 1. Prepare SAM for the dataset: one embedding per image, progress to 10 / 10.
    const prepare = await startSam2Run({
      db,
      projectId: project.id,
      actorId: users.editor!.id,
      task: "embed",
      datasetId,
    });
    const prepared = await waitForFinishedRun(db, prepare.jobRunId, {
      timeoutMs: 90_000,
      what: `the embed run (${a.output()})`,
    });
    expect(prepared).toMatchObject({
      type: "sam2-embed",
      status: "SUCCEEDED",
      progressDone: IMAGES,
      progressTotal: IMAGES,
      failedCount: 0,
    });
    const images = await db.image.findMany({ where: { id: { in: imageIds } }, select: { sha256: true } });
    expect(await db.samEmbedding.count({ where: { imageSha256: { in: images.map((i) => i.sha256) } } })).toBe(IMAGES);

    // 2. Generate masks; kill worker a the moment it starts an image after some progress.
    const generate = await startSam2Run({
      db,
      projectId: project.id,
      actorId: users.editor!.id,
      task: "generate",
      datasetId,
    });
    await waitFor(async () => ((await run(generate.jobRunId)).progressDone >= 2 ? true : undefined), {
      timeoutMs: 90_000,
      what: `some progress (${a.output()})`,
    });
    const killedJobId = await new Promise<string>((resolve) =>
      a.onOutput((text) => {
        const started = /sam2-image (\S+) started/.exec(text);
        if (started?.[1] && a.child.signalCode === null) {
          a.child.kill("SIGKILL");
          resolve(started[1]);
        }
      }),
    );
    const atKill = await run(generate.jobRunId);
    expect(atKill.progressDone).toBeLessThan(IMAGES);

    const b = spawnWorker("b");
    await b.ready;
    const finished = await waitForFinishedRun(db, generate.jobRunId, {
      timeoutMs: 120_000,
      what: `the generate run after the kill (worker b:\n${b.output()})`,
    });
    expect(finished).toMatchObject({
      type: "sam2-generate",
      status: "SUCCEEDED",
      progressDone: IMAGES,
      progressTotal: IMAGES,
      failedCount: 0,
    });

    // One SAM 2 object set per image, with objects; the killed image went through the queue again.
    const sets = await db.objectSet.groupBy({
      by: ["imageId"],
      where: { imageId: { in: imageIds }, method: "sam2" },
      _count: true,
    });
    expect(sets).toHaveLength(IMAGES);
    expect(sets.every((row) => row._count === 1)).toBe(true);
    const retried = await db.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM pgboss.job WHERE name = 'sam2-image' AND id::text = ${killedJobId} AND retry_count > 0`;
    expect(Number(retried[0]?.n), `worker b output:\n${b.output()}`).toBe(1);
    expect(b.output()).toMatch(new RegExp(`sam2-image ${killedJobId} started \\(attempt 2\\)`));
  });
});
