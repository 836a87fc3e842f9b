/**
 * Starts a retraining as a background job: checks that there is something to train on (at least
 * 2 classes with 2 labelled images each) and a network to train it for, then starts the run
 * (startJobRun). While a retraining of the project is queued or running, starting again returns
 * that run.
 */
import "server-only";
import type { Db } from "~/server/db";
import type { FeatureSet } from "~/server/inference/feature-set-head";
import { collectTrainingSet } from "~/server/models/collect-training-set";
import { resolveRetrainBase } from "~/server/models/resolve-retrain-base";
import { retrainModelJob } from "./definitions";
import type { JobQueue } from "./queue";
import { startJobRun, type StartedJobRun } from "./start-job-run";

export async function startRetrainModel(options: {
  db: Db;
  projectId: string;
  actorId: string;
  /** The version whose network is kept. @default the default built-in model */
  baseVersionId?: string;
  /** Train on this dataset's labels only. @default every labelled image of the project */
  datasetId?: string;
  /** What the head reads. @default "cnn" */
  featureSet?: FeatureSet;
  /** @default the process's queue */
  queue?: JobQueue;
}): Promise<StartedJobRun & { images: number }> {
  const { db, projectId, datasetId } = options;
  const set = await collectTrainingSet({ db, projectId, datasetId });
  const { base } = await resolveRetrainBase({ db, projectId, baseVersionId: options.baseVersionId });
  const started = await startJobRun({
    db,
    job: retrainModelJob,
    projectId,
    actorId: options.actorId,
    payload: {
      baseVersionId: base.id,
      ...(datasetId ? { datasetId } : {}),
      ...(options.featureSet && options.featureSet !== "cnn" ? { featureSet: options.featureSet } : {}),
    },
    // One retraining per project at a time: it uses every core of a worker.
    isSameRun: () => true,
    progressTotal: set.images.length,
    auditData: { baseVersionId: base.id, datasetId: datasetId ?? null, images: set.images.length },
    queue: options.queue,
  });
  return { ...started, images: set.images.length };
}
