import { z } from "zod";
import { featureSetSchema } from "~/core/descriptors/feature-sets";
import { idSchema } from "~/core/schemas";
import { createTRPCRouter, projectProcedure } from "~/server/api/trpc";
import { startRetrainModel } from "~/server/jobs/start-retrain-model";
import { deleteModelVersion } from "~/server/models/delete-model-version";
import { getModelVersion } from "~/server/models/get-model-version";
import { listConfusionCellImages } from "~/server/models/list-confusion-cell-images";
import { LEAST_CONFIDENT_LIMIT, listLeastConfidentImages } from "~/server/models/list-least-confident-images";
import { listModelVersions } from "~/server/models/list-model-versions";
import { summariseTrainingSet } from "~/server/models/collect-training-set";

/** Model versions: built-in models and the project's retrained ones; retraining is an EDITOR action. */
export const modelVersionRouter = createTRPCRouter({
  /**
   * Built-in models (installed in models/) and the project's own versions, with their synthetic
   * test and their scores on the project's labels, apart.
   */
  list: projectProcedure("VIEWER").query(({ ctx }) => listModelVersions({ ...ctx.inProject, withLabelScores: true })),

  get: projectProcedure("VIEWER")
    .input(z.object({ modelVersionId: idSchema }))
    .query(({ ctx, input }) => getModelVersion({ ...ctx.inProject, modelVersionId: input.modelVersionId })),

  /** The images behind one cell of a version's confusion matrix on the project's labels. */
  confusionCellImages: projectProcedure("VIEWER")
    .input(
      z.object({
        modelVersionId: idSchema,
        actualClass: z.string().min(1).max(200),
        predictedClass: z.string().min(1).max(200),
      }),
    )
    .query(({ ctx, input }) => listConfusionCellImages({ ...ctx.inProject, ...input })),

  /**
   * Unlabelled images with a prediction under the project's settings, least confident first (the
   * labelling queue; labelling itself is annotation.setImageLabels, an ANNOTATOR action).
   */
  leastConfidentImages: projectProcedure("VIEWER")
    .input(
      z.object({
        datasetId: idSchema.optional(),
        limit: z.number().int().min(1).max(LEAST_CONFIDENT_LIMIT).optional(),
      }),
    )
    .query(({ ctx, input }) => listLeastConfidentImages({ ...ctx.inProject, ...input })),

  /** What a retraining would learn from now (labelled images per class), and what is missing. */
  trainingSet: projectProcedure("VIEWER")
    .input(z.object({ datasetId: idSchema.optional() }))
    .query(async ({ ctx, input }) => {
      const { classes, labelled, images, excluded, groupedBy, groups, problem } = await summariseTrainingSet({
        ...ctx.inProject,
        datasetId: input.datasetId,
      });
      return {
        classes,
        labelled,
        images: images.length,
        excluded: excluded.length,
        groupedBy,
        groups,
        problem,
      };
    }),

  /** Starts a retrain-model job (new head on the labelled images); progress in job.watch. */
  retrain: projectProcedure("EDITOR")
    .input(
      z.object({
        baseVersionId: idSchema.optional(),
        datasetId: idSchema.optional(),
        featureSet: featureSetSchema.optional(),
      }),
    )
    .mutation(({ ctx, input }) => startRetrainModel({ ...input, ...ctx.inProject })),

  /** Deletes one of the project's own versions (built-in models cannot be deleted). */
  delete: projectProcedure("EDITOR")
    .input(z.object({ modelVersionId: idSchema }))
    .mutation(({ ctx, input }) =>
      deleteModelVersion({
        ...ctx.inProject,
        modelVersionId: input.modelVersionId,
        actorId: ctx.user.id,
      }),
    ),
});
