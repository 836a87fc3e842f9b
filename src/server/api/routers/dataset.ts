import { z } from "zod";
import { createTRPCRouter, projectProcedure } from "~/server/api/trpc";
import { createDataset } from "~/server/datasets/create-dataset";
import { deleteDataset } from "~/server/datasets/delete-dataset";
import { listDatasets } from "~/server/datasets/list-datasets";
import { deleteImage } from "~/server/images/delete-image";
import { listImages } from "~/server/images/list-images";

export const datasetRouter = createTRPCRouter({
  list: projectProcedure("VIEWER").query(({ ctx }) => listDatasets({ db: ctx.db, projectId: ctx.projectId })),

  create: projectProcedure("EDITOR")
    .input(
      z.object({
        name: z.string().trim().min(1, "Give the dataset a name").max(120),
        description: z.string().max(2000).optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      createDataset({ ...input, db: ctx.db, projectId: ctx.projectId, actorId: ctx.user.id }),
    ),

  delete: projectProcedure("EDITOR")
    .input(z.object({ datasetId: z.string().min(1) }))
    .mutation(({ ctx, input }) =>
      deleteDataset({ ...input, db: ctx.db, projectId: ctx.projectId, actorId: ctx.user.id }),
    ),

  images: projectProcedure("VIEWER")
    .input(z.object({ datasetId: z.string().min(1) }))
    .query(({ ctx, input }) =>
      listImages({ db: ctx.db, projectId: ctx.projectId, datasetId: input.datasetId }),
    ),

  deleteImage: projectProcedure("EDITOR")
    .input(z.object({ imageId: z.string().min(1) }))
    .mutation(({ ctx, input }) =>
      deleteImage({ ...input, db: ctx.db, projectId: ctx.projectId, actorId: ctx.user.id }),
    ),
});
