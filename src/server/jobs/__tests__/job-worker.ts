/** A job worker in the test process, for the integration tests that run jobs through the real queue. */
import { afterAll, beforeAll } from "vitest";
import { eventBus } from "~/server/events";
import { jobSettings, type JobSettings } from "../job-settings";
import { stopJobQueue } from "../queue";
import { startJobWorker, type JobWorker } from "../worker";

/**
 * Starts a quiet worker (fast polling and maintenance, plus `settings`) before the file's tests,
 * and stops it, the queue and the event bus after them. Hooks registered before this call run
 * before the worker starts, and (vitest's stacked after-hooks) their afterAll after it stops.
 */
export function runJobWorkerDuringTests(settings: Partial<JobSettings> = {}): void {
  let worker: JobWorker | undefined;
  beforeAll(async () => {
    worker = await startJobWorker({
      settings: { ...jobSettings(), JOB_POLL_SECONDS: 0.5, JOB_MAINTENANCE_SECONDS: 1, ...settings },
      log: () => undefined,
    });
  });
  afterAll(async () => {
    await worker?.stop({ timeoutMs: 5_000 });
    await stopJobQueue();
    await eventBus().close();
  });
}
