/**
 * Starts the analysis of every image of a dataset as a background job: a QUEUED JobRun and its
 * analyse-dataset job are created in one transaction (a job never exists without its run, nor
 * the other way round). Starting while a run of the same dataset is queued or running returns
 * that run instead of a second one (double clicks, two colleagues at once).
 */
import "server-only";
import type { AnalysisParamsInput } from "~/server/analysis/run-analysis";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { analyseDatasetJob } from "./definitions";
import { JOB_RUN_TYPES, type AnalysisRunPayload } from "./job-run-records";
import { announceJobStart } from "./announce-job-start";
import { jobQueue, type JobQueue } from "./queue";
import { resolveRunParams } from "./resolve-run-params";

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
}): Promise<{ jobRunId: string; alreadyRunning: boolean }> {
  const { db, projectId, datasetId } = options;
  const { params, model } = resolveRunParams(options);
  const dataset = await db.dataset.findFirst({ where: { id: datasetId, projectId }, select: { id: true } });
  if (!dataset) throw new AppError("NOT_FOUND", "Dataset not found");
  const queue = options.queue ?? (await jobQueue());

  return db.$transaction(
    async (tx) => {
      // Serialises starts of the same dataset so the "already running" check holds.
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${`analyse-dataset:${datasetId}`}))::text`;
      const active = await tx.jobRun.findFirst({
        where: {
          projectId,
          type: JOB_RUN_TYPES.analyseDataset,
          status: { in: ["QUEUED", "RUNNING"] },
          payload: { path: ["datasetId"], equals: datasetId },
        },
        select: { id: true },
      });
      if (active) return { jobRunId: active.id, alreadyRunning: true };

      const payload: AnalysisRunPayload = { datasetId, params, model };
      const run = await tx.jobRun.create({
        data: {
          projectId,
          type: JOB_RUN_TYPES.analyseDataset,
          status: "QUEUED",
          payload,
          createdById: options.actorId,
        },
      });
      await queue.send(
        analyseDatasetJob,
        { version: 1, jobRunId: run.id, projectId, datasetId, params, model },
        { tx },
      );
      await announceJobStart(tx, run, options.actorId, { datasetId });
      return { jobRunId: run.id, alreadyRunning: false };
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
}
