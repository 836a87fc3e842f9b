/**
 * retrain-model: train a new linear head on the pooled features of a project's labelled images
 * (optionally one dataset's), measure it by grouped cross-validation, and save it as a new
 * ModelVersion of the project. One job per JobRun; progress is "features n / total", then the
 * training step.
 */
import "server-only";
import { z } from "zod";
import { featureSetSchema } from "~/server/inference/feature-set-head";
import { defineJob } from "./job-definition";

const retrainFields = {
  /** The version whose network is kept (and the new version's parent). */
  baseVersionId: z.string().min(1),
  /** Only this dataset's labels; absent: the whole project's. */
  datasetId: z.string().min(1).optional(),
  /** What the head reads: pooled CNN features, measured descriptors, or both; absent: "cnn". */
  featureSet: featureSetSchema.optional(),
};

/** JobRun.payload of a retraining: what was asked for, its phase, and the result once saved. */
export const retrainRunPayloadSchema = z.object({
  ...retrainFields,
  phase: z.enum(["queued", "features", "training", "done"]).default("queued"),
  modelVersionId: z.string().min(1).optional(),
  features: z.object({ computed: z.number(), cached: z.number() }).optional(),
  timingsMs: z.object({ features: z.number(), training: z.number(), total: z.number() }).optional(),
});
export type RetrainRunPayload = z.infer<typeof retrainRunPayloadSchema>;

export const retrainModelJob = defineJob({
  id: "retrain-model",
  version: 1,
  payload: z.object(retrainFields),
  runPayload: retrainRunPayloadSchema,
  // Features of thousands of new images can take minutes; a dead worker's run is picked up again
  // after this long and resumes from the feature cache.
  queue: { retryLimit: 2, expireInSeconds: 1800 },
});
export type RetrainModelPayload = z.infer<typeof retrainModelJob.payloadSchema>;
