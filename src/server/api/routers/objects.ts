import { z } from "zod";
import { idSchema } from "~/core/schemas";
import { createTRPCRouter, projectProcedure } from "~/server/api/trpc";
import { findObjectSet } from "~/server/objects/find-object-set";
import { objectParamsInputSchema } from "~/server/objects/object-params-input";
import { requestObjectSet } from "~/server/objects/request-object-set";

const paramsInput = objectParamsInputSchema.optional();

/**
 * Objects (particles, grains...) of an image: segmentation, per-object descriptors and per-image
 * statistics (src/server/objects). Reading is for every member; running is an ANNOTATOR action,
 * as analysis.run.
 */
export const objectsRouter = createTRPCRouter({
  /** The stored ObjectSetDto for these params (defaults when absent), or null when never run. */
  forImage: projectProcedure("VIEWER")
    .input(z.object({ imageId: idSchema, params: paramsInput }))
    .query(({ ctx, input }) => findObjectSet({ ...ctx.inProject, imageId: input.imageId, params: input.params })),

  /** Segments and measures the image with these params (reusing a stored result) and returns it. */
  run: projectProcedure("ANNOTATOR")
    .input(z.object({ imageId: idSchema, params: paramsInput }))
    .mutation(({ ctx, input }) => requestObjectSet({ ...ctx.inProject, imageId: input.imageId, params: input.params })),
});
