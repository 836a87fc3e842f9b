import { z } from "zod";
import { idSchema } from "~/core/schemas";
import { createTRPCRouter, projectProcedure } from "~/server/api/trpc";
import { getImageWorkspace } from "~/server/analysis/get-image-workspace";
import { listDatasetPredictions } from "~/server/analysis/list-dataset-predictions";
import { camClassSchema } from "~/server/analysis/analysis-params-schema";
import { requestImageAnalysis } from "~/server/analysis/request-image-analysis";
import { listModelVersions } from "~/server/models/list-model-versions";
import { KMEANS_MAX_K, KMEANS_MIN_K } from "~/core/analysis";
import { CLASSIFICATION_MODES } from "~/core/settings/analysis-settings";

/** What a user may name as the model: a file in models/ or a model version (never a path). */
const MODEL_REF = /^(?:[\w.-]+|version:[\w-]+)$/;

/** Analyses as the workspace sees them. Running one is an ANNOTATOR action; VIEWERs read. */
export const analysisRouter = createTRPCRouter({
  /** The image page in one query: image, neighbours, analyses, model choices. */
  workspace: projectProcedure("VIEWER")
    .input(z.object({ imageId: idSchema }))
    .query(async ({ ctx, input }) => ({
      ...(await getImageWorkspace({ ...ctx.inProject, imageId: input.imageId })),
      // The model picker: every usable model version (built-in and retrained), by the reference
      // analysis.run takes; the default built-in model first.
      installedModels: (await listModelVersions({ ...ctx.inProject }))
        .filter((version) => version.available && MODEL_REF.test(version.ref))
        .map((version) => ({
          name: version.ref,
          label: version.name,
          isDefault: version.isDefault,
          builtIn: version.builtIn,
          modelVersionId: version.id,
          classes: version.classes,
        })),
    })),

  /** Newest prediction per image of a dataset, for the grid. */
  predictions: projectProcedure("VIEWER")
    .input(z.object({ datasetId: idSchema }))
    .query(({ ctx, input }) => listDatasetPredictions({ ...ctx.inProject, datasetId: input.datasetId })),

  /** Analyses one image with the given K (and model) and returns the stored result. */
  run: projectProcedure("ANNOTATOR")
    .input(
      z.object({
        imageId: idSchema,
        k: z
          .number()
          .int()
          .min(KMEANS_MIN_K, `K must be at least ${KMEANS_MIN_K}`)
          .max(KMEANS_MAX_K, `K must be at most ${KMEANS_MAX_K}`),
        /**
         * A model in models/, or "version:<id>" for a model version of the project; null: no
         * classification; absent: the configured default.
         */
        model: z.string().min(1).max(200).regex(MODEL_REF, "Pick an installed model").nullable().optional(),
        /** The class the CAM explains: "predicted" (default) or a class index of the model. */
        camClass: camClassSchema.optional(),
        /** What the classifier sees: "tiles" (the analysed area) or "centre-crop" (absent: the reference's centre crop). */
        classification: z.enum(CLASSIFICATION_MODES).optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      requestImageAnalysis({
        ...ctx.inProject,
        imageId: input.imageId,
        params: { ks: [input.k] },
        model: input.model,
        camClass: input.camClass,
        classification: input.classification,
      }),
    ),
});
