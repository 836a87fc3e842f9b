import { z } from "zod";
import { idSchema } from "~/core/schemas";
import { createTRPCRouter, projectProcedure } from "~/server/api/trpc";
import { createRegion } from "~/server/annotations/create-region";
import { deleteRegion } from "~/server/annotations/delete-region";
import { listImageAnnotations } from "~/server/annotations/list-image-annotations";
import { regionGeometrySchema } from "~/core/regions/region-geometry";
import { setImageLabels } from "~/server/annotations/set-image-labels";
import { updateRegion } from "~/server/annotations/update-region";

/** Image labels and regions. Drawing and labelling is the ANNOTATOR's job; VIEWERs read. */
export const annotationRouter = createTRPCRouter({
  forImage: projectProcedure("VIEWER")
    .input(z.object({ imageId: idSchema }))
    .query(({ ctx, input }) => listImageAnnotations({ ...ctx.inProject, imageId: input.imageId })),

  setImageLabels: projectProcedure("ANNOTATOR")
    .input(
      z.object({
        imageIds: z.array(idSchema).min(1, "Select at least one image").max(1000, "Label at most 1000 images at once"),
        /** null clears the label. */
        labelClassId: idSchema.nullable(),
      }),
    )
    .mutation(({ ctx, input }) => setImageLabels({ ...input, ...ctx.inProject })),

  createRegion: projectProcedure("ANNOTATOR")
    .input(z.object({ imageId: idSchema, labelClassId: idSchema.nullable(), geometry: regionGeometrySchema }))
    .mutation(({ ctx, input }) => createRegion({ ...input, ...ctx.inProject })),

  updateRegion: projectProcedure("ANNOTATOR")
    .input(
      z.object({
        regionId: idSchema,
        /** The version the edit started from; a newer saved version refuses the save (CONFLICT). */
        expectedVersion: z.number().int().min(1),
        geometry: regionGeometrySchema.optional(),
        labelClassId: idSchema.nullable().optional(),
      }),
    )
    .mutation(({ ctx, input }) => updateRegion({ ...input, ...ctx.inProject })),

  deleteRegion: projectProcedure("ANNOTATOR")
    .input(z.object({ regionId: idSchema, expectedVersion: z.number().int().min(1) }))
    .mutation(({ ctx, input }) => deleteRegion({ ...input, ...ctx.inProject })),
});
