import { z } from "zod";
import { analysisParamsInputSchema } from "~/server/analysis/analysis-params-schema";
import { createTRPCRouter, projectProcedure } from "~/server/api/trpc";
import { cancelJobRun } from "~/server/jobs/cancel-job-run";
import { getJobRun } from "~/server/jobs/get-job-run";
import { listJobRuns } from "~/server/jobs/list-job-runs";
import { retryFailedItems } from "~/server/jobs/retry-failed-items";
import { startDatasetAnalysis } from "~/server/jobs/start-dataset-analysis";
import { startImageAnalysis } from "~/server/jobs/start-image-analysis";
import { watchJobRuns } from "~/server/jobs/watch-job-runs";

const id = z.string().min(1);

export const jobRouter = createTRPCRouter({
  list: projectProcedure("VIEWER")
    .input(z.object({ datasetId: id.optional(), limit: z.number().int().min(1).max(100).optional() }))
    .query(({ ctx, input }) => listJobRuns({ ...input, db: ctx.db, projectId: ctx.projectId })),

  get: projectProcedure("VIEWER")
    .input(z.object({ jobRunId: id }))
    .query(({ ctx, input }) => getJobRun({ ...input, db: ctx.db, projectId: ctx.projectId })),

  /** Live runs of the project (or of one dataset), over server-sent events. */
  watch: projectProcedure("VIEWER")
    .input(z.object({ datasetId: id.optional() }))
    .subscription(({ ctx, input, signal }) =>
      watchJobRuns({ db: ctx.db, projectId: ctx.projectId, datasetId: input.datasetId, signal }),
    ),

  startDatasetAnalysis: projectProcedure("EDITOR")
    .input(z.object({ datasetId: id, params: analysisParamsInputSchema.optional() }))
    .mutation(({ ctx, input }) =>
      startDatasetAnalysis({ ...input, db: ctx.db, projectId: ctx.projectId, actorId: ctx.user.id }),
    ),

  startImageAnalysis: projectProcedure("EDITOR")
    .input(z.object({ imageId: id, params: analysisParamsInputSchema.optional() }))
    .mutation(({ ctx, input }) =>
      startImageAnalysis({ ...input, db: ctx.db, projectId: ctx.projectId, actorId: ctx.user.id }),
    ),

  cancel: projectProcedure("EDITOR")
    .input(z.object({ jobRunId: id }))
    .mutation(({ ctx, input }) =>
      cancelJobRun({ ...input, db: ctx.db, projectId: ctx.projectId, actorId: ctx.user.id }),
    ),

  retryFailed: projectProcedure("EDITOR")
    .input(z.object({ jobRunId: id }))
    .mutation(({ ctx, input }) =>
      retryFailedItems({ ...input, db: ctx.db, projectId: ctx.projectId, actorId: ctx.user.id }),
    ),
});
