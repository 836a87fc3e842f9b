/**
 * Live job runs of a project (or of one dataset) for a tRPC subscription: yields the current
 * list once listening has started (and after a lost connection), then again whenever a run of
 * the project changes. Bursts of events (dozens of items a second) collapse into one reload per
 * `throttleMs`, so a busy job costs each viewer a few small queries a second, not one per item.
 */
import "server-only";
import { assertDatasetInProject } from "~/server/datasets/assert-dataset-in-project";
import type { Db } from "~/server/db";
import { projectChannel, subscribeToChannel } from "~/server/events";
import { listJobRuns } from "./list-job-runs";
import type { JobRunView } from "./job-run-view";

export async function* watchJobRuns(options: {
  db: Db;
  projectId: string;
  datasetId?: string;
  signal?: AbortSignal;
  /** @default 250 */
  throttleMs?: number;
}): AsyncGenerator<JobRunView[]> {
  const { signal } = options;
  // The focus must belong to the project: a stream never listens "through" a foreign id.
  if (options.datasetId) await assertDatasetInProject(options as typeof options & { datasetId: string });
  const throttleMs = options.throttleMs ?? 250;
  let stale = false;
  let wake: (() => void) | null = null;
  const markStale = () => {
    stale = true;
    wake?.();
  };
  const subscription = subscribeToChannel(projectChannel(options.projectId), {
    onEvent: (event) => {
      if (event.type !== "job-run.updated") return;
      if (options.datasetId && event.datasetId !== options.datasetId) return;
      markStale();
    },
    // Fires once listening has started: the initial load, and after reconnects.
    onResync: markStale,
  });
  subscription.ready.catch(() => undefined); // the bus retries; its resync triggers the load
  const onAbort = () => wake?.();
  signal?.addEventListener("abort", onAbort);
  let lastLoad = 0;
  try {
    while (!signal?.aborted) {
      if (!stale) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
        continue;
      }
      const wait = lastLoad + throttleMs - Date.now();
      if (wait > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait);
          wake = () => {
            // Only an abort cuts the pause short; further events just keep `stale` set.
            if (signal?.aborted) {
              clearTimeout(timer);
              resolve();
            }
          };
        });
        wake = null;
        if (signal?.aborted) break;
      }
      stale = false;
      lastLoad = Date.now();
      yield await listJobRuns({ db: options.db, projectId: options.projectId, datasetId: options.datasetId });
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    subscription.unsubscribe();
  }
}
