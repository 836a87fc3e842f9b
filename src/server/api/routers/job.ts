import { z } from "zod";
import { idSchema } from "~/core/schemas";
import { createTRPCRouter, projectProcedure } from "~/server/api/trpc";
import { cancelJobRun } from "~/server/jobs/cancel-job-run";
import { getJobRun } from "~/server/jobs/get-job-run";
import { listJobRuns } from "~/server/jobs/list-job-runs";
import { retryFailedItems } from "~/server/jobs/retry-failed-items";
import { startDatasetAnalysis } from "~/server/jobs/start-dataset-analysis";
import { watchJobRuns } from "~/server/jobs/watch-job-runs";

export const jobRouter = createTRPCRouter({
  list: projectProcedure("VIEWER")
    .input(z.object({ datasetId: idSchema.optional(), limit: z.number().int().min(1).max(100).optional() }))
    .query(({ ctx, input }) => listJobRuns({ ...input, ...ctx.inProject })),

  get: projectProcedure("VIEWER")
    .input(z.object({ jobRunId: idSchema }))
    .query(({ ctx, input }) => getJobRun({ ...input, ...ctx.inProject })),

  /** Live runs of the project (or of one dataset), over server-sent events. */
  watch: projectProcedure("VIEWER")
    .input(z.object({ datasetId: idSchema.optional() }))
    .subscription(({ ctx, input }) =>
      watchJobRuns({ ...ctx.inProject, datasetId: input.datasetId, signal: ctx.streamSignal }),
    ),

  /** Runs the dataset under the project's current settings, or the saved version given. */
  startDatasetAnalysis: projectProcedure("EDITOR")
    .input(z.object({ datasetId: idSchema, settingsVersion: z.number().int().min(0).max(1_000_000).optional() }))
    .mutation(({ ctx, input }) => startDatasetAnalysis({ ...input, ...ctx.inProject })),

  cancel: projectProcedure("EDITOR")
    .input(z.object({ jobRunId: idSchema }))
    .mutation(({ ctx, input }) => cancelJobRun({ ...input, ...ctx.inProject })),

  retryFailed: projectProcedure("EDITOR")
    .input(z.object({ jobRunId: idSchema }))
    .mutation(({ ctx, input }) => retryFailedItems({ ...input, ...ctx.inProject })),
});
