/**
 * analyse-dataset: fans a dataset out into one analyse-image job per image, in the same
 * transaction that sets the run's total and marks it RUNNING (so a retried fan-out never
 * enqueues twice).
 */
import "server-only";
import { z } from "zod";
import { analysisParamsSchema } from "~/server/analysis/analysis-params-schema";
import type { JobDefinition } from "./job-definition";

export const analyseDatasetPayloadSchema = z.object({
  version: z.literal(1),
  jobRunId: z.string().min(1),
  projectId: z.string().min(1),
  datasetId: z.string().min(1),
  params: analysisParamsSchema,
  model: z.string().min(1).nullable(),
});
export type AnalyseDatasetPayload = z.infer<typeof analyseDatasetPayloadSchema>;

export const analyseDatasetJob = {
  id: "analyse-dataset",
  version: 1,
  payloadSchema: analyseDatasetPayloadSchema,
  queue: { retryLimit: 5, expireInSeconds: 600 },
} as const satisfies JobDefinition<AnalyseDatasetPayload>;
