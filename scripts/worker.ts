/**
 * `npm run worker`: one job worker process. Runs anywhere that reaches the database
 * (DATABASE_URL) and the blob store (DATA_DIR, or the shared object store later).
 *   WORKER_CONCURRENCY  jobs at a time in this process (default 1)
 *   INFERENCE_PROVIDER  cpu | cuda (default cpu; cuda falls back to cpu, logged, if unavailable)
 *   INFERENCE_MODEL     model name in models/ or a .onnx path (default: the shipped model)
 *   WORKER_LOG_JOBS=1   log every job as it starts
 *   JOB_ITEM_EXPIRE_SECONDS, JOB_ITEM_RETRY_LIMIT, JOB_MAINTENANCE_SECONDS, JOB_POLL_SECONDS:
 *                       see src/server/jobs/job-settings.ts
 * `npm start` runs one of these next to the web app (WORKERS=0 turns that off).
 * SIGTERM/SIGINT: stop taking jobs, finish the running ones (up to 30 s), exit. A worker killed
 * harder loses nothing: it stops beating, and within ~20 s another worker hands its jobs back to
 * the queue (src/server/jobs/worker-liveness.ts).
 */
import { serverEnv } from "../src/server/env";
import { jobSettings } from "../src/server/jobs/job-settings";

function log(message: string) {
  console.log(`[worker ${process.pid}] ${message}`);
}

async function main() {
  if (!serverEnv().DATABASE_URL) {
    throw new Error("DATABASE_URL is not set: point the worker at the application's database");
  }
  const settings = jobSettings(); // fail on bad configuration before connecting
  const { startJobWorker } = await import("../src/server/jobs/worker");
  const worker = await startJobWorker({ settings, log });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: finishing running jobs`);
    await worker.stop().catch((error: unknown) => console.error(error));
    const { db } = await import("../src/server/db");
    await db.$disconnect();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error: unknown) => {
  console.error(`[worker ${process.pid}]`, error instanceof Error ? error.message : error);
  process.exit(1);
});
