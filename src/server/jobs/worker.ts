/**
 * The worker runtime: takes jobs from the queue and runs their handlers, with the same services
 * as the web app. Any number of these can run, anywhere that reaches the database and the blob
 * store; pg-boss hands each job to one of them (SKIP LOCKED). The jobs of a worker that died go
 * back to the queue within seconds (worker-liveness.ts: heartbeats and job leases), and, as a
 * last resort, through pg-boss maintenance once they expire.
 */
import "server-only";
import { existsSync } from "node:fs";
import type PgBoss from "pg-boss";
import { configuredModel } from "~/server/analysis/classify-raster";
import { db as defaultDb, type Db } from "~/server/db";
import { providerStatus } from "~/server/inference/providers";
import { getModel, releaseModels, resolveModelPath } from "~/server/inference/session-cache";
import { blobStore, type BlobStore } from "~/server/storage";
import { handleAnalyseDataset } from "./analyse-dataset.handler";
import { handleAnalyseImageGaveUp } from "./analyse-image-gave-up.handler";
import { handleAnalyseImages } from "./analyse-image.handler";
import {
  analyseDatasetJob,
  analyseImageGaveUpJob,
  analyseImageJob,
  exportJob,
  importCocoJob,
  retrainModelJob,
  sam2EmbedJob,
  sam2GenerateJob,
  sam2ImageGaveUpJob,
  sam2ImageJob,
  type JobDefinition,
} from "./definitions";
import { handleExport } from "./export.handler";
import { handleImportCoco } from "./import-coco.handler";
import { handleRetrainModel } from "./retrain-model.handler";
import { handleSam2Image, handleSam2ImageGaveUp } from "./sam2-image.handler";
import { handleSam2Run } from "./sam2-run.handler";
import { jobSettings, type JobSettings } from "./job-settings";
import { startPgBoss, type PgBossJobQueue } from "./queue";
import { startWorkerLiveness } from "./worker-liveness";
import type { SingleJobHandlerOptions } from "./single-job-run";

type Logger = (message: string) => void;

export type JobWorker = {
  queue: PgBossJobQueue;
  settings: JobSettings;
  /** Stops taking jobs, waits up to `timeoutMs` for running ones, then closes the queue. */
  stop: (options?: { timeoutMs?: number }) => Promise<void>;
};

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The last error pg-boss stored in a job's output (dead-letter jobs carry it over). */
function lastErrorOf(output: unknown): string | null {
  if (typeof output !== "object" || output === null) return null;
  const record = output as Record<string, unknown>;
  if (typeof record.message === "string") return record.message;
  const value = record.value;
  if (typeof value === "object" && value !== null && typeof (value as Record<string, unknown>).message === "string") {
    return (value as Record<string, string>).message ?? null;
  }
  return null;
}

export async function startJobWorker(
  options: {
    db?: Db;
    store?: BlobStore;
    settings?: JobSettings;
    log?: Logger;
  } = {},
): Promise<JobWorker> {
  const db = options.db ?? defaultDb;
  const store = options.store ?? blobStore();
  const settings = options.settings ?? jobSettings();
  const log = options.log ?? ((message: string) => console.log(`[worker ${process.pid}] ${message}`));
  const queue = await startPgBoss({ role: "worker", settings });
  const boss = queue.boss;
  const liveness = await startWorkerLiveness({ db, boss, log });

  /** Before any work on jobs: their leases, so that a crash from here on is seen. */
  async function leaseJobs(definition: JobDefinition<unknown>, jobs: PgBoss.JobWithMetadata<unknown>[]) {
    await liveness
      .lease(
        definition.id,
        jobs.map((job) => job.id),
      )
      .catch((error: unknown) =>
        log(`${definition.id} ${jobs.map((job) => job.id).join(", ")}: no lease (${errorText(error)})`),
      );
  }

  /** A leased job's start: the start log, its payload. */
  function startJob<P>(definition: JobDefinition<P>, job: PgBoss.JobWithMetadata<unknown>): P {
    if (settings.WORKER_LOG_JOBS === "1") log(`${definition.id} ${job.id} started (attempt ${job.retryCount + 1})`);
    return definition.payloadSchema.parse(job.data);
  }

  function logFailure(definition: JobDefinition<unknown>, job: PgBoss.JobWithMetadata<unknown>, error: unknown) {
    log(`${definition.id} ${job.id} failed (attempt ${job.retryCount + 1}): ${errorText(error)}`);
  }

  async function releaseJobs(definition: JobDefinition<unknown>, jobs: PgBoss.JobWithMetadata<unknown>[]) {
    await liveness
      .release(jobs.map((job) => job.id))
      .catch((error: unknown) =>
        log(`${definition.id} ${jobs.map((job) => job.id).join(", ")}: lease not released (${errorText(error)})`),
      );
  }

  /**
   * Registers `count` polling loops for one queue, each taking up to `batchSize` jobs at a time
   * (the handler gets one job, or all of them at once with `runBatch`).
   */
  async function register<P>(
    definition: JobDefinition<P>,
    count: number,
    batchSize: number,
    handle: (jobs: PgBoss.JobWithMetadata<unknown>[]) => Promise<unknown>,
  ): Promise<void> {
    for (let i = 0; i < count; i++) {
      // The handler may run before boss.work returns the id, so it reads the id from here.
      const registration: { workerId?: string } = {};
      registration.workerId = await boss.work<unknown>(
        definition.id,
        { batchSize, includeMetadata: true, pollingIntervalSeconds: settings.JOB_POLL_SECONDS },
        async (jobs) => {
          try {
            return await handle(jobs);
          } finally {
            // Take the next job at once instead of after the polling interval.
            if (registration.workerId) boss.notifyWorker(registration.workerId);
          }
        },
      );
    }
  }

  /** Registers `count` polling loops for one queue; each runs one job at a time. */
  async function work<P>(
    definition: JobDefinition<P>,
    count: number,
    run: (payload: P, job: PgBoss.JobWithMetadata<unknown>) => Promise<unknown>,
  ): Promise<void> {
    await register(definition, count, 1, async ([job]) => {
      if (!job) return;
      await leaseJobs(definition, [job]);
      try {
        return await run(startJob(definition, job), job);
      } catch (error) {
        logFailure(definition, job, error);
        throw error;
      } finally {
        await releaseJobs(definition, [job]);
      }
    });
  }

  /**
   * Registers `count` polling loops for one queue, each taking up to `batchSize` jobs and running
   * them together (`runBatch` settles each job on its own). A job that fails goes back to the
   * queue as it would alone (its retries); the others complete (in their own transactions).
   */
  async function workBatch<P>(
    definition: JobDefinition<P>,
    count: number,
    batchSize: number,
    runBatch: (
      items: { payload: P; job: PgBoss.JobWithMetadata<unknown> }[],
    ) => Promise<PromiseSettledResult<unknown>[]>,
  ): Promise<void> {
    await register(definition, count, batchSize, async (jobs) => {
      const failed: { job: PgBoss.JobWithMetadata<unknown>; error: unknown }[] = [];
      await leaseJobs(definition, jobs);
      try {
        const runnable = jobs.flatMap((job) => {
          try {
            return [{ job, payload: startJob(definition, job) }];
          } catch (error) {
            failed.push({ job, error });
            return [];
          }
        });
        const settled = await runBatch(runnable).catch((error: unknown) =>
          runnable.map((): PromiseSettledResult<unknown> => ({ status: "rejected", reason: error })),
        );
        runnable.forEach(({ job }, i) => {
          const result = settled[i];
          if (result?.status !== "fulfilled") failed.push({ job, error: result?.reason });
        });
        for (const { job, error } of failed) {
          logFailure(definition, job, error);
          // As pg-boss does for a handler that throws: retried until its retry limit.
          await boss.fail(definition.id, job.id, error instanceof Error ? error : new Error(String(error)));
        }
      } finally {
        await releaseJobs(definition, jobs);
      }
      // pg-boss completes the rest: each was completed in its own transaction already.
    });
  }

  const complete =
    <P>(definition: JobDefinition<P>, jobId: string) =>
    (tx: Parameters<PgBossJobQueue["complete"]>[2]["tx"]) =>
      queue.complete(definition, jobId, { tx });

  // Image analyses in batches: their classifier runs on several images at once.
  await workBatch(analyseImageJob, settings.WORKER_CONCURRENCY, settings.WORKER_BATCH_SIZE, (items) =>
    handleAnalyseImages({
      db,
      store,
      items: items.map(({ payload, job }) => ({ payload, completeQueueJob: complete(analyseImageJob, job.id) })),
    }),
  );
  await work(analyseImageGaveUpJob, 1, async (payload, job) => {
    const result = await handleAnalyseImageGaveUp({
      db,
      payload,
      lastError: lastErrorOf(job.output),
      completeQueueJob: complete(analyseImageGaveUpJob, job.id),
    });
    log(`gave up on image ${payload.imageId} of run ${payload.jobRunId} (${result})`);
    return { result };
  });
  await work(analyseDatasetJob, 1, async (payload, job) => {
    const result = await handleAnalyseDataset({
      db,
      queue,
      payload,
      completeQueueJob: complete(analyseDatasetJob, job.id),
    });
    log(`run ${payload.jobRunId}: ${result.result}, ${result.items} images`);
    return result;
  });

  // SAM 2: one image at a time per polling loop (the encoder and the generator use every core).
  await work(sam2ImageJob, settings.WORKER_CONCURRENCY, async (payload, job) => {
    const result = await handleSam2Image({ db, store, payload, completeQueueJob: complete(sam2ImageJob, job.id) });
    return { result: result.result, outcome: result.outcome };
  });
  await work(sam2ImageGaveUpJob, 1, async (payload, job) => {
    const result = await handleSam2ImageGaveUp({
      db,
      payload,
      lastError: lastErrorOf(job.output),
      completeQueueJob: complete(sam2ImageGaveUpJob, job.id),
    });
    log(`gave up on SAM 2 image ${payload.imageId} of run ${payload.jobRunId} (${result})`);
    return { result };
  });
  for (const [definition, task] of [
    [sam2EmbedJob, "embed"],
    [sam2GenerateJob, "generate"],
  ] as const) {
    await work(definition, 1, async (payload, job) => {
      const result = await handleSam2Run({ db, queue, payload, task, completeQueueJob: complete(definition, job.id) });
      log(`${definition.id} ${payload.jobRunId}: ${result.result}, ${result.items} images`);
      return result;
    });
  }

  /**
   * Registers a job whose run is one queue job (retrain-model, export): one at a time per worker,
   * since both are long and use every core; the last attempt fails the run instead of retrying.
   */
  async function workOneRunAtATime<P extends { jobRunId: string }, R>(
    definition: JobDefinition<P>,
    handle: (options: SingleJobHandlerOptions<P>) => Promise<R>,
    summary: (result: R) => string,
  ): Promise<void> {
    await work(definition, 1, async (payload, job) => {
      const result = await handle({
        db,
        store,
        payload,
        completeQueueJob: complete(definition, job.id),
        finalAttempt: job.retryCount >= job.retryLimit,
      });
      log(`${definition.id} ${payload.jobRunId}: ${summary(result)}`);
      return result;
    });
  }

  await workOneRunAtATime(
    retrainModelJob,
    handleRetrainModel,
    (result) =>
      `${result.result}${result.modelVersionId ? ` -> version ${result.modelVersionId}` : ""}${result.error ? ` (${result.error})` : ""}`,
  );
  await workOneRunAtATime(
    exportJob,
    handleExport,
    (result) => `${result.result}${result.bytes !== undefined ? `, ${result.bytes} bytes` : ""}`,
  );
  await workOneRunAtATime(
    importCocoJob,
    handleImportCoco,
    (result) =>
      `${result.result}${result.import ? `, ${result.import.regionsCreated} regions` : ""}${result.error ? ` (${result.error})` : ""}`,
  );

  // Load the default model now: a broken model or a CUDA fallback shows in the start line, not
  // in the first job; and the first image does not pay for the session creation.
  const modelPath = resolveModelPath(configuredModel());
  if (!existsSync(modelPath)) log(`no model at ${modelPath}: images are analysed without classification`);
  else
    await getModel(modelPath).catch((error: unknown) => log(`model ${modelPath} does not load: ${errorText(error)}`));
  const provider = providerStatus();
  log(
    `taking jobs (worker ${liveness.workerId}, concurrency ${settings.WORKER_CONCURRENCY}, inference ${provider.active}` +
      `${provider.fallbackReason ? `: ${provider.fallbackReason}` : ""})`,
  );

  return {
    queue,
    settings,
    stop: async ({ timeoutMs = 30_000 } = {}) => {
      await liveness.stopSweeping();
      // Keeps beating while its jobs finish, then leaves the liveness table.
      await boss.stop({ graceful: true, timeout: timeoutMs, wait: true, close: true });
      await liveness.stop().catch((error: unknown) => log(`leaving the liveness table failed: ${errorText(error)}`));
      await releaseModels();
    },
  };
}
