import { z } from "zod";
import { imageTagsSchema, tagKeySchema, TAG_LIMITS } from "~/core/conditions/tags";
import { idSchema } from "~/core/schemas";
import { createTRPCRouter, projectProcedure } from "~/server/api/trpc";
import { findTagKeys } from "~/server/conditions/find-image-tags";
import { listDatasetTags } from "~/server/conditions/list-dataset-tags";
import { setImageTags } from "~/server/conditions/set-image-tags";

/** Most images one "Set condition" changes (a large dataset is changed in a few calls). */
const MAX_IMAGES_PER_CHANGE = 5000;

/**
 * Condition tags of images (capacity, cycles, hv...). Reading is for every member; changing them
 * changes what the project reports by condition, so it is an EDITOR action (capability
 * "editConditions").
 */
export const conditionsRouter = createTRPCRouter({
  /** The tags of a dataset's images, and the keys of the dataset and of the project. */
  forDataset: projectProcedure("VIEWER")
    .input(z.object({ datasetId: idSchema }))
    .query(({ ctx, input }) => listDatasetTags({ ...ctx.inProject, datasetId: input.datasetId })),

  /** The project's keys with their units and how many images carry each. */
  keys: projectProcedure("VIEWER").query(({ ctx }) => findTagKeys({ ...ctx.inProject })),

  /** Sets (key = value) and removes keys on the given images, in one audited change. */
  set: projectProcedure("EDITOR")
    .input(
      z.object({
        imageIds: z
          .array(idSchema)
          .min(1, "Select at least one image.")
          .max(MAX_IMAGES_PER_CHANGE, `At most ${MAX_IMAGES_PER_CHANGE} images at once.`),
        set: imageTagsSchema.default([]),
        remove: z.array(tagKeySchema).max(TAG_LIMITS.maxTagsPerImage).default([]),
      }),
    )
    .mutation(({ ctx, input }) => setImageTags({ ...ctx.inProject, ...input })),
});
