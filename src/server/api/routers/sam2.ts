import { z } from "zod";
import { idSchema } from "~/core/schemas";
import { createTRPCRouter, projectProcedure } from "~/server/api/trpc";
import { decodeSam2Prompt, sam2PromptSchema } from "~/server/inference/sam2/decode-sam2-prompt";
import { getSam2EmbeddingStatus } from "~/server/inference/sam2/get-sam2-embedding-status";
import { listInstalledSam2Models } from "~/server/inference/sam2/list-installed-sam2-models";
import { SAM2_MODEL_NAME_PATTERN } from "~/server/inference/sam2/sam2-registry";
import { startSam2Run } from "~/server/jobs/start-sam2-run";
import { findSam2ObjectSet } from "~/server/objects/find-sam2-object-set";
import { sam2AmgParamsSchema } from "~/core/sam2/amg-params";
import { blobStore } from "~/server/storage";

/** An installed model's name, never a path: web callers choose among installed models only. */
const modelName = z
  .string()
  .max(100)
  .regex(SAM2_MODEL_NAME_PATTERN, "a SAM 2 model is named by its folder name under models/sam2")
  .optional();
const generatorParams = sam2AmgParamsSchema.partial().optional();

/**
 * SAM 2 (src/server/inference/sam2, a plug-in model a lab installs): which models are installed,
 * an image's embedding, one prompt set decoded to a mask (the canvas tool), and the runs that
 * prepare embeddings and generate masks. Reading is for every member; decoding and single-image
 * runs are ANNOTATOR actions (as objects.run), dataset runs EDITOR ones (as job.startDatasetAnalysis).
 * Heavy work never runs here: the encoder and the generator run in jobs, a click in the heavy-work pool.
 */
export const sam2Router = createTRPCRouter({
  /** Installed models with their card and status; the install hint when none is ready. */
  models: projectProcedure("VIEWER").query(() => listInstalledSam2Models()),

  /** Whether the image's embedding is stored for the model (default: the first ready one). */
  embedding: projectProcedure("VIEWER")
    .input(z.object({ imageId: idSchema, model: modelName }))
    .query(({ ctx, input }) => getSam2EmbeddingStatus({ ...ctx.inProject, store: blobStore(), ...input })),

  /** Computes the image's embedding in a job (returns the run; reused when it is queued already). */
  prepareImage: projectProcedure("ANNOTATOR")
    .input(z.object({ imageId: idSchema, model: modelName }))
    .mutation(({ ctx, input }) => startSam2Run({ ...ctx.inProject, task: "embed", ...input })),

  /**
   * One prompt set (positive/negative points, an optional box, the previous mask's handle) to the
   * best of the decoder's three masks: as a "mask" region geometry ready to save, with its score,
   * area, box and the handle to refine it with the next prompt. CONFLICT when the image has no
   * embedding yet (prepareImage first).
   */
  decode: projectProcedure("ANNOTATOR")
    .input(z.object({ imageId: idSchema, model: modelName, prompt: sam2PromptSchema }))
    .mutation(({ ctx, input }) => decodeSam2Prompt({ ...ctx.inProject, store: blobStore(), ...input })),

  /** Automatic masks for one image, in a job; the result is read with objectSet. */
  generateImage: projectProcedure("ANNOTATOR")
    .input(z.object({ imageId: idSchema, model: modelName, params: generatorParams }))
    .mutation(({ ctx, input }) => startSam2Run({ ...ctx.inProject, task: "generate", ...input })),

  /** "Prepare SAM for this dataset" (task embed) or "generate masks for this dataset" (task generate). */
  startDataset: projectProcedure("EDITOR")
    .input(
      z.object({
        datasetId: idSchema,
        task: z.enum(["embed", "generate"]),
        model: modelName,
        params: generatorParams,
      }),
    )
    .mutation(({ ctx, input }) => startSam2Run({ ...ctx.inProject, ...input })),

  /** The stored SAM 2 object set of an image for a model and parameters (defaults), or null. */
  objectSet: projectProcedure("VIEWER")
    .input(z.object({ imageId: idSchema, model: modelName, params: generatorParams }))
    .query(({ ctx, input }) => findSam2ObjectSet({ ...ctx.inProject, ...input })),
});
