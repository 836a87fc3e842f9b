/**
 * analyse-dataset: fans a dataset out into one analyse-image job per image, in the same
 * transaction that sets the run's total and marks it RUNNING (so a retried fan-out never
 * enqueues twice).
 */
import "server-only";
import { z } from "zod";
import { analysisParamsSchema } from "~/server/analysis/analysis-params-schema";
import {
  analysisRunPayloadSchema,
  runObjectParamsSchema,
  runSettingsIdSchema,
  runAnalysedAreaSchema,
  runClassificationSchema,
} from "./analysis-run-payload";
import { defineJob } from "./job-definition";

export const analyseDatasetJob = defineJob({
  id: "analyse-dataset",
  version: 1,
  payload: z.object({
    datasetId: z.string().min(1),
    params: analysisParamsSchema,
    model: z.string().min(1).nullable(),
    objects: runObjectParamsSchema,
    settingsId: runSettingsIdSchema,
    analysedArea: runAnalysedAreaSchema,
    classification: runClassificationSchema,
  }),
  runPayload: analysisRunPayloadSchema,
  queue: { retryLimit: 5, expireInSeconds: 600 },
});
export type AnalyseDatasetPayload = z.infer<typeof analyseDatasetJob.payloadSchema>;
