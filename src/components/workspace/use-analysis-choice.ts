"use client";

import { useState } from "react";
import { NO_MODEL } from "./AnalysisControls";
import type { ClassificationMode } from "~/core/settings/analysis-settings";
import { classificationOf, type WorkspaceAnalysis } from "./use-analysis-maps";

export type CamClass = "predicted" | number;

export const modelOf = (analysis: WorkspaceAnalysis): string => analysis.params?.classifier?.model ?? NO_MODEL;
export const camClassOf = (analysis: WorkspaceAnalysis): CamClass =>
  analysis.params?.classifier?.camClass ?? "predicted";

/**
 * The analysis parameters the user picks (model, classification, CAM class, K) and the stored
 * analysis that best matches them (`base`: same model, classification and CAM class, else same
 * model and classification, else same model, else the newest). The classification starts as the
 * newest analysis's, else the project's setting.
 */
export function useAnalysisChoice(
  analyses: readonly WorkspaceAnalysis[],
  installed: readonly { name: string; isDefault: boolean }[],
  projectClassification: ClassificationMode,
) {
  const [model, setModelState] = useState<string>(() =>
    analyses[0] ? modelOf(analyses[0]) : (installed.find((m) => m.isDefault)?.name ?? installed[0]?.name ?? NO_MODEL),
  );
  const [camClass, setCamClass] = useState<CamClass>("predicted");
  const [classification, setClassification] = useState<ClassificationMode>(() =>
    analyses[0]?.params?.classifier ? classificationOf(analyses[0]) : projectClassification,
  );
  const sameClassifier = (analysis: WorkspaceAnalysis) =>
    modelOf(analysis) === model && (model === NO_MODEL || classificationOf(analysis) === classification);
  const base =
    analyses.find((analysis) => sameClassifier(analysis) && camClassOf(analysis) === camClass) ??
    analyses.find(sameClassifier) ??
    analyses.find((analysis) => modelOf(analysis) === model) ??
    analyses[0] ??
    null;
  const [k, setK] = useState<number>(() => base?.ks[0] ?? 3);
  /** A new model explains its own predicted class first. */
  const setModel = (next: string) => {
    setModelState(next);
    setCamClass("predicted");
  };
  return { model, setModel, classification, setClassification, camClass, setCamClass, k, setK, base };
}
