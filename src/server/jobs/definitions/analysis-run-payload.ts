import "server-only";
import { z } from "zod";
import { objectSegmentationParamsSchema } from "~/core/objects/segment-objects";
import { CLASSIFICATION_MODES } from "~/core/settings/analysis-settings";
import { analysisParamsSchema } from "~/server/analysis/analysis-params-schema";

/**
 * The object segmentation parameters of an analysis run (resolved, as stored with each ObjectSet),
 * or null: the run segments no objects. Absent (runs and queued items from before the option) = null.
 */
export const runObjectParamsSchema = objectSegmentationParamsSchema.nullable().default(null);

/**
 * The AnalysisSettings row (a saved settings version) the run reports under: each image's result
 * is recorded as its SettingsResult. null: an ad-hoc run (explicit parameters), reported nowhere.
 */
export const runSettingsIdSchema = z.string().min(1).nullable().default(null);

/** Whether measurements leave out each image's data bar (its analysed area). Absent: yes. */
export const runAnalysedAreaSchema = z.enum(["exclude-data-bar", "whole-image"]).default("exclude-data-bar");

/**
 * What the classifier sees (core/settings/analysis-settings.ts). Absent (runs and queued items
 * from before the option): the centre crop, as they were started.
 */
export const runClassificationSchema = z.enum(CLASSIFICATION_MODES).default("centre-crop");

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
  objects: runObjectParamsSchema,
  settingsId: runSettingsIdSchema,
  analysedArea: runAnalysedAreaSchema,
  classification: runClassificationSchema,
});
export type AnalysisRunPayload = z.infer<typeof analysisRunPayloadSchema>;
