import { z } from "zod";
import { analysedAreaSchema } from "~/core/analysed-area/analysed-area";
import { imageOrDatasetTargetSchema } from "~/core/schemas";
import { createTRPCRouter, projectProcedure } from "~/server/api/trpc";
import { setAnalysedArea } from "~/server/images/set-analysed-area";

/**
 * What to do with the analysed area: set a rectangle (whole pixels, x/y >= 0, width/height >= 1;
 * the service checks that it lies inside the image), clear it (the whole image), or detect it
 * again (the file's metadata, else a data bar in the pixels; one image at a time).
 */
const changeSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("set"), area: analysedAreaSchema }),
  z.object({ kind: z.literal("clear") }),
  z.object({ kind: z.literal("detect") }),
]);

/** The part of each image that measurements cover. Changing it is an EDITOR action ("setScale"'s peer). */
export const analysedAreaRouter = createTRPCRouter({
  /** Sets, clears or detects again the analysed area of one image; sets or clears a dataset's. */
  set: projectProcedure("EDITOR")
    .input(z.object({ target: imageOrDatasetTargetSchema, change: changeSchema }))
    .mutation(({ ctx, input }) => setAnalysedArea({ ...ctx.inProject, target: input.target, change: input.change })),
});
