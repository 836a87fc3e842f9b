import { z } from "zod";
import { idSchema } from "~/core/schemas";
import { listProjectActivity } from "~/server/activity/list-project-activity";
import { watchLiveChanges } from "~/server/activity/watch-live-changes";
import { createTRPCRouter, projectProcedure } from "~/server/api/trpc";

/** The project's activity: the audit log (who did what, when) and live changes over SSE. */
export const activityRouter = createTRPCRouter({
  list: projectProcedure("VIEWER")
    .input(z.object({ cursor: idSchema.optional(), limit: z.number().int().min(1).max(100).default(30) }))
    .query(({ ctx, input }) => listProjectActivity({ ...input, ...ctx.inProject })),

  /** Changes to one dataset or image (or the whole project) as they happen. */
  live: projectProcedure("VIEWER")
    .input(z.object({ datasetId: idSchema.optional(), imageId: idSchema.optional() }))
    .subscription(({ ctx, input }) => watchLiveChanges({ ...input, ...ctx.inProject, signal: ctx.streamSignal })),
});
