import { z } from "zod";
import { createTRPCRouter, projectProcedure } from "~/server/api/trpc";
import { watchImagePresence } from "~/server/presence/watch-image-presence";

/** Who else is looking at an image: the open subscription is this viewer's heartbeat. */
export const presenceRouter = createTRPCRouter({
  image: projectProcedure("VIEWER")
    .input(z.object({ imageId: z.string().min(1).max(64) }))
    .subscription(({ ctx, input, signal }) =>
      watchImagePresence({
        db: ctx.db,
        projectId: ctx.projectId,
        imageId: input.imageId,
        userId: ctx.user.id,
        signal,
      }),
    ),
});
