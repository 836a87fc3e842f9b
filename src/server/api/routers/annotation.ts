import { z } from "zod";
import { createTRPCRouter, projectProcedure } from "~/server/api/trpc";
import { createRegion } from "~/server/annotations/create-region";
import { deleteRegion } from "~/server/annotations/delete-region";
import { listImageAnnotations } from "~/server/annotations/list-image-annotations";
import { regionGeometrySchema } from "~/core/regions/region-geometry";
import { setImageLabels } from "~/server/annotations/set-image-labels";
import { updateRegion } from "~/server/annotations/update-region";

const id = z.string().min(1).max(64);

/** Image labels and regions. Drawing and labelling is the ANNOTATOR's job; VIEWERs read. */
export const annotationRouter = createTRPCRouter({
  forImage: projectProcedure("VIEWER")
    .input(z.object({ imageId: id }))
    .query(({ ctx, input }) =>
      listImageAnnotations({ db: ctx.db, projectId: ctx.projectId, imageId: input.imageId }),
    ),

  setImageLabels: projectProcedure("ANNOTATOR")
    .input(
      z.object({
        imageIds: z
          .array(id)
          .min(1, "Select at least one image")
          .max(1000, "Label at most 1000 images at once"),
        /** null clears the label. */
        labelClassId: id.nullable(),
      }),
    )
    .mutation(({ ctx, input }) =>
      setImageLabels({ ...input, db: ctx.db, projectId: ctx.projectId, actorId: ctx.user.id }),
    ),

  createRegion: projectProcedure("ANNOTATOR")
    .input(z.object({ imageId: id, labelClassId: id.nullable(), geometry: regionGeometrySchema }))
    .mutation(({ ctx, input }) =>
      createRegion({ ...input, db: ctx.db, projectId: ctx.projectId, actorId: ctx.user.id }),
    ),

  updateRegion: projectProcedure("ANNOTATOR")
    .input(
      z.object({
        regionId: id,
        /** The version the edit started from; a newer saved version refuses the save (CONFLICT). */
        expectedVersion: z.number().int().min(1),
        geometry: regionGeometrySchema.optional(),
        labelClassId: id.nullable().optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      updateRegion({ ...input, db: ctx.db, projectId: ctx.projectId, actorId: ctx.user.id }),
    ),

  deleteRegion: projectProcedure("ANNOTATOR")
    .input(z.object({ regionId: id, expectedVersion: z.number().int().min(1) }))
    .mutation(({ ctx, input }) =>
      deleteRegion({ ...input, db: ctx.db, projectId: ctx.projectId, actorId: ctx.user.id }),
    ),
});
