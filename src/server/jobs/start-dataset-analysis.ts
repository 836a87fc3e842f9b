/**
 * Starts the analysis of every image of a dataset as a background job (startJobRun). Starting
 * while a run of the same dataset is queued or running returns that run instead of a second one.
 */
import "server-only";
import type { AnalysisParamsInput } from "~/server/analysis/run-analysis";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { analyseDatasetJob } from "./definitions";
import type { JobQueue } from "./queue";
import { resolveRunParams } from "./resolve-run-params";
import { startJobRun, type StartedJobRun } from "./start-job-run";

export async function startDatasetAnalysis(options: {
  db: Db;
  projectId: string;
  datasetId: string;
  actorId: string;
  params?: AnalysisParamsInput;
  /** Model name or path; null: no classification. @default INFERENCE_MODEL or the shipped model */
  model?: string | null;
  /** @default the process's queue */
  queue?: JobQueue;
}): Promise<StartedJobRun> {
  const { db, projectId, datasetId } = options;
  const { params, model } = resolveRunParams(options);
  const dataset = await db.dataset.findFirst({ where: { id: datasetId, projectId }, select: { id: true } });
  if (!dataset) throw new AppError("NOT_FOUND", "Dataset not found");

  return startJobRun({
    db,
    job: analyseDatasetJob,
    projectId,
    actorId: options.actorId,
    payload: { datasetId, params, model },
    isSameRun: (active) => active.datasetId === datasetId,
    // Starts of different datasets need not wait for each other.
    lockKey: `${analyseDatasetJob.id}:${datasetId}`,
    auditData: { datasetId },
    queue: options.queue,
  });
}
