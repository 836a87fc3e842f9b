/**
 * Analyses one image and stores the result: load the image blob, decode, classify (+ CAM) when
 * a model is installed, run the analysis pipeline, store every map as an 8-bit PNG blob, and
 * upsert THE Analysis row for (image, paramsHash). Jobs use the two halves separately
 * (computeImageAnalysis, then upsertAnalysis inside their progress transaction); this is the
 * whole thing for callers that need no job bookkeeping.
 */
import type { ClassificationMode } from "~/core/settings/analysis-settings";
import type { Db } from "~/server/db";
import type { CamClass } from "./analysis-params-schema";
import { blobStore, type BlobStore } from "~/server/storage";
import { computeImageAnalysis, type ComputedImageAnalysis } from "./compute-image-analysis";
import { configuredModel } from "./classify-raster";
import { resolveAnalysisParams, type AnalysisParamsInput } from "./run-analysis";
import { upsertAnalysis } from "./upsert-analysis";

export type { ComputedImageAnalysis } from "./compute-image-analysis";

export async function analyseImage(options: {
  db: Db;
  projectId: string;
  imageId: string;
  params?: AnalysisParamsInput;
  /**
   * Model name or path, or "version:<id>" for a model version of the project; null skips
   * classification. @default INFERENCE_MODEL or the shipped model
   */
  model?: string | null;
  /** The class the CAM explains. @default "predicted" */
  camClass?: CamClass;
  /** What the classifier sees. @default "centre-crop" */
  classification?: ClassificationMode;
  /** The tiles mode: cover the image's analysed area, not the whole image. @default true */
  useAnalysedArea?: boolean;
  /** @default the process's blob store */
  store?: BlobStore;
}): Promise<ComputedImageAnalysis & { analysisId: string }> {
  const analysis = await computeImageAnalysis({
    db: options.db,
    store: options.store ?? blobStore(),
    projectId: options.projectId,
    imageId: options.imageId,
    params: resolveAnalysisParams(options.params),
    model: options.model === undefined ? configuredModel() : options.model,
    camClass: options.camClass,
    classification: options.classification,
    useAnalysedArea: options.useAnalysedArea,
  });
  const { analysisId } = await upsertAnalysis({ db: options.db, analysis });
  return { ...analysis, analysisId };
}
