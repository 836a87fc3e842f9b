import "server-only";
import { z } from "zod";
import { analysisParamsSchema } from "~/server/analysis/analysis-params-schema";

/**
 * JobRun.payload of analysis runs (analyse-dataset, and analyse-image for a single image): what
 * was asked for, so retries of failed items use the same. Persisted: add fields, do not rename.
 */
export const analysisRunPayloadSchema = z.object({
  datasetId: z.string().min(1),
  /** Set for a single-image run. */
  imageId: z.string().min(1).optional(),
  params: analysisParamsSchema,
  /** Model name or path; null: no classification. */
  model: z.string().min(1).nullable(),
});
export type AnalysisRunPayload = z.infer<typeof analysisRunPayloadSchema>;
