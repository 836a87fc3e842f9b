import { z } from "zod";
import { idSchema } from "~/core/schemas";
import { createTRPCRouter, projectProcedure } from "~/server/api/trpc";
import { createDataset } from "~/server/datasets/create-dataset";
import { deleteDataset } from "~/server/datasets/delete-dataset";
import { listDatasets } from "~/server/datasets/list-datasets";
import { deleteImage } from "~/server/images/delete-image";
import { listImages } from "~/server/images/list-images";

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
});
