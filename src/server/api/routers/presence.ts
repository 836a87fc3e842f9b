import { z } from "zod";
import { idSchema } from "~/core/schemas";
import { createTRPCRouter, projectProcedure } from "~/server/api/trpc";
import { watchImagePresence } from "~/server/presence/watch-image-presence";

/** Who else is looking at an image: the open subscription is this viewer's heartbeat. */
export const presenceRouter = createTRPCRouter({
  image: projectProcedure("VIEWER")
    .input(z.object({ imageId: idSchema }))
    .subscription(({ ctx, input }) =>
      watchImagePresence({
        ...ctx.inProject,
        imageId: input.imageId,
        userId: ctx.user.id,
        signal: ctx.streamSignal,
      }),
    ),
});
