import { z } from "zod";
import { MAX_IMAGE_FILE_NAME_LENGTH } from "~/core/file-names";
import { idSchema, nameSchema } from "~/core/schemas";
import { createTRPCRouter, projectProcedure } from "~/server/api/trpc";
import { createDataset } from "~/server/datasets/create-dataset";
import { deleteDataset } from "~/server/datasets/delete-dataset";
import { deletionImpact } from "~/server/datasets/deletion-impact";
import { renameDataset } from "~/server/datasets/rename-dataset";
import { listDatasets } from "~/server/datasets/list-datasets";
import { deleteImage } from "~/server/images/delete-image";
import { deleteImages } from "~/server/images/delete-images";
import { listImages } from "~/server/images/list-images";
import { moveImages } from "~/server/images/move-images";
import { MAX_BULK_IMAGES } from "~/server/images/project-images";
import { renameImage } from "~/server/images/rename-image";

const imageIdsSchema = z
  .array(idSchema)
  .min(1, "Select at least one image")
  .max(MAX_BULK_IMAGES, `At most ${MAX_BULK_IMAGES} images at once`);

export const datasetRouter = createTRPCRouter({
  list: projectProcedure("VIEWER").query(({ ctx }) => listDatasets({ ...ctx.inProject })),

  create: projectProcedure("EDITOR")
    .input(
      z.object({
        name: z.string().trim().min(1, "Give the dataset a name").max(120),
        description: z.string().max(2000).optional(),
      }),
    )
    .mutation(({ ctx, input }) => createDataset({ ...input, ...ctx.inProject })),

  delete: projectProcedure("EDITOR")
    .input(z.object({ datasetId: idSchema }))
    .mutation(({ ctx, input }) => deleteDataset({ ...input, ...ctx.inProject })),

  images: projectProcedure("VIEWER")
    .input(z.object({ datasetId: idSchema }))
    .query(({ ctx, input }) => listImages({ ...ctx.inProject, datasetId: input.datasetId })),

  deleteImage: projectProcedure("EDITOR")
    .input(z.object({ imageId: idSchema }))
    .mutation(({ ctx, input }) => deleteImage({ ...input, ...ctx.inProject })),

  rename: projectProcedure("EDITOR")
    .input(z.object({ datasetId: idSchema, name: nameSchema("Give the dataset a name") }))
    .mutation(({ ctx, input }) => renameDataset({ ...input, ...ctx.inProject })),

  /** The new name is checked by core/file-names (the server trims, keeps the extension sane). */
  renameImage: projectProcedure("EDITOR")
    .input(z.object({ imageId: idSchema, fileName: z.string().max(MAX_IMAGE_FILE_NAME_LENGTH + 50) }))
    .mutation(({ ctx, input }) => renameImage({ ...input, ...ctx.inProject })),

  moveImages: projectProcedure("EDITOR")
    .input(z.object({ imageIds: imageIdsSchema, datasetId: idSchema }))
    .mutation(({ ctx, input }) => moveImages({ ...input, ...ctx.inProject })),

  deleteImages: projectProcedure("EDITOR")
    .input(z.object({ imageIds: imageIdsSchema }))
    .mutation(({ ctx, input }) => deleteImages({ ...input, ...ctx.inProject })),

  /** What deleting a dataset, a selection of images or a label class would remove (the confirmation says it). */
  deletionImpact: projectProcedure("EDITOR")
    .input(
      z.object({
        target: z.discriminatedUnion("kind", [
          z.object({ kind: z.literal("dataset"), datasetId: idSchema }),
          z.object({ kind: z.literal("images"), imageIds: imageIdsSchema }),
          z.object({ kind: z.literal("labelClass"), labelClassId: idSchema }),
        ]),
      }),
    )
    .query(({ ctx, input }) => deletionImpact({ ...ctx.inProject, target: input.target })),
});
