/**
 * retrain-model: train a new linear head on the pooled features of a project's labelled images
 * (optionally one dataset's), measure it by grouped cross-validation, and save it as a new
 * ModelVersion of the project. One job per JobRun; progress is "features n / total", then the
 * training step.
 */
import "server-only";
import { z } from "zod";
import type { JobDefinition } from "./job-definition";

export const retrainModelPayloadSchema = z.object({
  version: z.literal(1),
  jobRunId: z.string().min(1),
  projectId: z.string().min(1),
  /** The version whose network is kept (and the new version's parent). */
  baseVersionId: z.string().min(1),
  /** Only this dataset's labels; absent: the whole project's. */
  datasetId: z.string().min(1).optional(),
});
export type RetrainModelPayload = z.infer<typeof retrainModelPayloadSchema>;

export const retrainModelJob = {
  id: "retrain-model",
  version: 1,
  payloadSchema: retrainModelPayloadSchema,
  // Features of thousands of new images can take minutes; a dead worker's run is picked up again
  // after this long and resumes from the feature cache.
  queue: { retryLimit: 2, expireInSeconds: 1800 },
} as const satisfies JobDefinition<RetrainModelPayload>;
