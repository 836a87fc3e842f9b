/**
 * analyse-image: analyse one image (classify + CAM + the analysis pipeline + store, and its object
 * set when the run asks for objects) as one item of a JobRun. Dataset jobs fan out into these; a
 * single-image run has exactly one.
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

/** The fields of one image's job (shared with its dead-letter queue, which gets the same payload). */
export const analyseImageFields = z.object({
  imageId: z.string().min(1),
  params: analysisParamsSchema,
  /** Model name or path; null: no classification. */
  model: z.string().min(1).nullable(),
  /** Also segment and measure the image's objects with these parameters (objects.run's service). */
  objects: runObjectParamsSchema,
  /** Record the result as this settings version's (SettingsResult); null: reported nowhere. */
  settingsId: runSettingsIdSchema,
  analysedArea: runAnalysedAreaSchema,
  /** What the classifier sees; the tiles cover the analysed area when `analysedArea` leaves the data bar out. */
  classification: runClassificationSchema,
});

export const analyseImageJob = defineJob({
  id: "analyse-image",
  version: 1,
  payload: analyseImageFields,
  runPayload: analysisRunPayloadSchema,
  // Items that exhaust their retries (a worker dying on them each time, a store that stays down)
  // go to the dead-letter queue, whose handler records them as failed so the run still finishes.
  queue: { retryLimit: 3, expireInSeconds: 300, deadLetter: "analyse-image-gave-up" },
});
export const analyseImagePayloadSchema = analyseImageJob.payloadSchema;
export type AnalyseImagePayload = z.infer<typeof analyseImagePayloadSchema>;

/** What an analysis run decides for every one of its images. */
type RunSettings = Pick<
  AnalyseImagePayload,
  "params" | "model" | "objects" | "settingsId" | "analysedArea" | "classification"
>;

/** The job of one image of an analysis run (its fan-out and a retry of its failed items alike). */
export function analyseImageItem(
  run: { jobRunId: string; projectId: string },
  settings: RunSettings,
  imageId: string,
): AnalyseImagePayload {
  return {
    version: 1,
    jobRunId: run.jobRunId,
    projectId: run.projectId,
    imageId,
    params: settings.params,
    model: settings.model,
    objects: settings.objects,
    settingsId: settings.settingsId,
    analysedArea: settings.analysedArea,
    classification: settings.classification,
  };
}
