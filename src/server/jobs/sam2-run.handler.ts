/** Handler of sam2-embed and sam2-generate: fan the run out into one sam2-image item per image. */
import "server-only";
import type { Db } from "~/server/db";
import { sam2ImageJob, type Sam2ImagePayload, type Sam2RunPayload } from "./definitions";
import type { Sam2ItemTask } from "./definitions/sam2-run-payload";
import { fanOutRunItems } from "./fan-out-dataset-run";
import type { JobQueue, Tx } from "./queue";

export async function handleSam2Run(options: {
  db: Db;
  queue: Pick<JobQueue, "sendMany">;
  payload: Sam2RunPayload & { jobRunId: string; projectId: string };
  task: Sam2ItemTask;
  completeQueueJob: (tx: Tx) => Promise<boolean>;
}) {
  const { payload } = options;
  return fanOutRunItems({
    db: options.db,
    queue: options.queue,
    run: payload,
    itemJob: sam2ImageJob,
    item: (imageId): Sam2ImagePayload => ({
      version: 1,
      jobRunId: payload.jobRunId,
      projectId: payload.projectId,
      imageId,
      task: options.task,
      model: payload.model,
      params: payload.params,
    }),
    completeQueueJob: options.completeQueueJob,
  });
}
