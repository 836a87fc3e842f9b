import { z } from "zod";
import type { ObjectSegmentationParams } from "~/core/objects/segment-objects";
import { idSchema } from "~/core/schemas";
import { createTRPCRouter, projectProcedure } from "~/server/api/trpc";
import { findObjectSet } from "~/server/objects/find-object-set";
import { requestObjectSet } from "~/server/objects/request-object-set";

/**
 * Segmentation parameters as given: any subset of ObjectSegmentationParams. Checked by the
 * service with the core's schema (resolveObjectParams), so a bad value is refused with BAD_REQUEST
 * and a message naming every problem ("h: h must be a finite number > 0 ...").
 */
const paramsInput = z
  .custom<Partial<ObjectSegmentationParams>>(
    (value) => typeof value === "object" && value !== null && !Array.isArray(value),
    "params must be an object",
  )
  .optional();

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
