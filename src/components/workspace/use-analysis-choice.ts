"use client";

import { useState } from "react";
import { NO_MODEL } from "./AnalysisControls";
import type { WorkspaceAnalysis } from "./use-analysis-maps";

export type CamClass = "predicted" | number;

export const modelOf = (analysis: WorkspaceAnalysis): string => analysis.params?.classifier?.model ?? NO_MODEL;
export const camClassOf = (analysis: WorkspaceAnalysis): CamClass =>
  analysis.params?.classifier?.camClass ?? "predicted";

/**
 * The analysis parameters the user picks (model, CAM class, K) and the stored analysis that best
 * matches them (`base`: same model and CAM class, else same model, else the newest).
 */
export function useAnalysisChoice(
  analyses: readonly WorkspaceAnalysis[],
  installed: readonly { name: string; isDefault: boolean }[],
) {
  const [model, setModelState] = useState<string>(() =>
    analyses[0] ? modelOf(analyses[0]) : (installed.find((m) => m.isDefault)?.name ?? installed[0]?.name ?? NO_MODEL),
  );
  const [camClass, setCamClass] = useState<CamClass>("predicted");
  const base =
    analyses.find((analysis) => modelOf(analysis) === model && camClassOf(analysis) === camClass) ??
    analyses.find((analysis) => modelOf(analysis) === model) ??
    analyses[0] ??
    null;
  const [k, setK] = useState<number>(() => base?.ks[0] ?? 3);
  /** A new model explains its own predicted class first. */
  const setModel = (next: string) => {
    setModelState(next);
    setCamClass("predicted");
  };
  return { model, setModel, camClass, setCamClass, k, setK, base };
}
