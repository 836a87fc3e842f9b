/** Handler of analyse-dataset: fan the dataset out into per-image jobs (see fanOutDatasetRun). */
import "server-only";
import type { Db } from "~/server/db";
import type { AnalyseDatasetPayload } from "./definitions";
import { fanOutDatasetRun } from "./fan-out-dataset-run";
import type { JobQueue, Tx } from "./queue";

export async function handleAnalyseDataset(options: {
  db: Db;
  queue: Pick<JobQueue, "sendMany">;
  payload: AnalyseDatasetPayload;
  completeQueueJob: (tx: Tx) => Promise<boolean>;
}) {
  return fanOutDatasetRun(options);
}
