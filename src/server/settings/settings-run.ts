/**
 * What a run does under a settings version: the analysis parameters, the classifier reference and
 * the object parameters that runs and exports pin (jobs/resolve-run-params.ts).
 */
import "server-only";
import type { ObjectSegmentationParams } from "~/core/objects/segment-objects";
import type { AnalysisSettings, ClassificationMode } from "~/core/settings/analysis-settings";
import type { AnalysisParamsInput } from "~/server/analysis/run-analysis";
import { modelVersionRef } from "~/server/models/model-ref";

export type SettingsRun = {
  params: AnalysisParamsInput;
  /** undefined: the configured default model; null: no classification; else a model reference. */
  model: string | null | undefined;
  objects: ObjectSegmentationParams | null;
  /** What the classifier sees (the tiles cover each image's analysed area under "exclude-data-bar"). */
  classification: ClassificationMode;
};

export function settingsRun(settings: AnalysisSettings): SettingsRun {
  const { model } = settings;
  return {
    params: {
      width: settings.width,
      glcmWindow: settings.glcmWindow,
      ks: settings.ks,
      kmeansMethod: settings.kmeansMethod,
    },
    model: model.kind === "default" ? undefined : model.kind === "none" ? null : modelVersionRef(model.modelVersionId),
    objects: settings.objects,
    classification: settings.classification,
  };
}
