import { z } from "zod";
import type { PixelSize } from "~/core/objects/units";
import { imageOrDatasetTargetSchema } from "~/core/schemas";
import { createTRPCRouter, projectProcedure } from "~/server/api/trpc";
import { setPixelSize } from "~/server/objects/set-pixel-size";

/**
 * The physical pixel size as given: `{ value, unit }` or null (clear). Checked by the service with
 * the core's assertPixelSize, so 0, a negative value, NaN or an unknown unit is refused with
 * BAD_REQUEST and its message ("pixel size must be a finite number > 0, got 0").
 */
const pixelSizeInput = z.custom<PixelSize | null>(
  (value) => value !== undefined,
  "pixelSize is required (null clears it)",
);

/** The physical scale of images. Setting it is an EDITOR action (capability "setScale"). */
export const scaleRouter = createTRPCRouter({
  /** Sets or clears the pixel size of one image or of every image of a dataset. */
  set: projectProcedure("EDITOR")
    .input(
      z.object({
        target: imageOrDatasetTargetSchema,
        pixelSize: pixelSizeInput,
      }),
    )
    .mutation(({ ctx, input }) => setPixelSize({ ...ctx.inProject, target: input.target, pixelSize: input.pixelSize })),
});
