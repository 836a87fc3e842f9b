/**
 * Starts a retraining as a background job: checks that there is something to train on (at least
 * 2 classes with 2 labelled images each) and a network to train it for, then creates a QUEUED
 * JobRun and its retrain-model job in one transaction. While a retraining of the project is
 * queued or running, starting again returns that run.
 */
import "server-only";
import type { Db } from "~/server/db";
import { collectTrainingSet } from "~/server/models/collect-training-set";
import { resolveRetrainBase } from "~/server/models/resolve-retrain-base";
import { retrainModelJob } from "./definitions";
import { announceJobStart } from "./announce-job-start";
import { jobQueue, type JobQueue } from "./queue";

export async function startRetrainModel(options: {
  db: Db;
  projectId: string;
  actorId: string;
  /** The version whose network is kept. @default the default built-in model */
  baseVersionId?: string;
  /** Train on this dataset's labels only. @default every labelled image of the project */
  datasetId?: string;
  /** @default the process's queue */
  queue?: JobQueue;
}): Promise<{ jobRunId: string; alreadyRunning: boolean; images: number }> {
  const { db, projectId, datasetId } = options;
  const set = await collectTrainingSet({ db, projectId, datasetId });
  const { base } = await resolveRetrainBase({ db, projectId, baseVersionId: options.baseVersionId });
  const queue = options.queue ?? (await jobQueue());

  return db.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${`retrain-model:${projectId}`}))::text`;
      const active = await tx.jobRun.findFirst({
        where: { projectId, type: retrainModelJob.id, status: { in: ["QUEUED", "RUNNING"] } },
        select: { id: true },
      });
      if (active) return { jobRunId: active.id, alreadyRunning: true, images: set.images.length };

      const run = await tx.jobRun.create({
        data: {
          projectId,
          type: retrainModelJob.id,
          status: "QUEUED",
          progressTotal: set.images.length,
          payload: { baseVersionId: base.id, ...(datasetId ? { datasetId } : {}), phase: "queued" },
          createdById: options.actorId,
        },
      });
      await queue.send(
        retrainModelJob,
        {
          version: 1,
          jobRunId: run.id,
          projectId,
          baseVersionId: base.id,
          ...(datasetId ? { datasetId } : {}),
        },
        { tx },
      );
      await announceJobStart(tx, run, options.actorId, {
        baseVersionId: base.id,
        datasetId: datasetId ?? null,
        images: set.images.length,
      });
      return { jobRunId: run.id, alreadyRunning: false, images: set.images.length };
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
}
