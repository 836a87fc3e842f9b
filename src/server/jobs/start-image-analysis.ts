/**
 * Analyses one image as a background job: a RUNNING JobRun of one item and its analyse-image job,
 * created together. The workspace uses it to (re)analyse the image on screen with other params.
 */
import "server-only";
import type { AnalysisParamsInput } from "~/server/analysis/run-analysis";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { projectChannel, publishEvent } from "~/server/events";
import { analyseImageJob } from "./definitions";
import { JOB_RUN_TYPES, jobRunUpdatedEvent, type AnalysisRunPayload } from "./job-run-records";
import { jobQueue, type JobQueue } from "./queue";
import { resolveRunParams } from "./resolve-run-params";

export async function startImageAnalysis(options: {
  db: Db;
  projectId: string;
  imageId: string;
  actorId: string;
  params?: AnalysisParamsInput;
  model?: string | null;
  queue?: JobQueue;
}): Promise<{ jobRunId: string }> {
  const { db, projectId, imageId } = options;
  const { params, model } = resolveRunParams(options);
  const image = await db.image.findFirst({
    where: { id: imageId, projectId },
    select: { id: true, datasetId: true },
  });
  if (!image) throw new AppError("NOT_FOUND", "Image not found");
  const queue = options.queue ?? (await jobQueue());

  return db.$transaction(
    async (tx) => {
      const payload: AnalysisRunPayload = { datasetId: image.datasetId, imageId, params, model };
      const run = await tx.jobRun.create({
        data: {
          projectId,
          type: JOB_RUN_TYPES.analyseImage,
          status: "RUNNING",
          progressTotal: 1,
          payload,
          createdById: options.actorId,
          startedAt: new Date(),
        },
      });
      await queue.send(
        analyseImageJob,
        { version: 1, jobRunId: run.id, projectId, imageId, params, model },
        { tx },
      );
      await publishEvent({ db: tx, channel: projectChannel(projectId), event: jobRunUpdatedEvent(run) });
      return { jobRunId: run.id };
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
}
