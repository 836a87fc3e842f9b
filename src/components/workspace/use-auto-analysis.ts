"use client";

import { useMutation } from "@tanstack/react-query";
import { useEffect, useEffectEvent, useRef } from "react";
import { errorMessage } from "~/components/error-message";
import { useTRPC } from "~/trpc/react";
import { NO_MODEL } from "./AnalysisControls";
import type { ClassificationMode } from "~/core/settings/analysis-settings";
import { camClassOf, modelOf, type CamClass } from "./use-analysis-choice";
import { classificationOf, type WorkspaceAnalysis } from "./use-analysis-maps";

export type SaveState = { status: "idle" | "saving" | "saved" | "error"; message: string | null };

/**
 * Auto-analysis: every (K, model, classification, CAM class) the user looks at becomes a stored Analysis with its
 * parameters, shortly after they stop changing them (at once when the image has none yet). Each
 * combination is asked for once per page; those who may not analyse only look.
 */
export function useAutoAnalysis(options: {
  projectId: string;
  imageId: string;
  analyses: readonly WorkspaceAnalysis[];
  k: number;
  model: string;
  camClass: CamClass;
  classification: ClassificationMode;
  canAnalyse: boolean;
  onSaved: () => void;
}): { saveState: SaveState; pending: boolean } {
  const { projectId, imageId, analyses, k, model, camClass, classification, canAnalyse } = options;
  const trpc = useTRPC();
  const run = useMutation(trpc.analysis.run.mutationOptions({ onSuccess: () => options.onSaved() }));
  // Without a classifier there is nothing the classification mode changes.
  const savedForK = analyses.some(
    (analysis) =>
      modelOf(analysis) === model &&
      (model === NO_MODEL || classificationOf(analysis) === classification) &&
      camClassOf(analysis) === camClass &&
      analysis.ks.includes(k),
  );
  const runKey = `${k}|${model}|${camClass}|${model === NO_MODEL ? "" : classification}`;
  const requested = useRef(new Set<string>());
  const analyse = useEffectEvent(() => {
    requested.current.add(runKey);
    run.mutate({
      projectId,
      imageId,
      k,
      model: model === NO_MODEL ? null : model,
      ...(camClass === "predicted" ? {} : { camClass }),
      classification,
    });
  });
  const delayMs = analyses.length === 0 ? 0 : 400;
  useEffect(() => {
    if (!canAnalyse || savedForK || requested.current.has(runKey)) return;
    const timer = setTimeout(() => analyse(), delayMs);
    return () => clearTimeout(timer);
  }, [canAnalyse, savedForK, runKey, delayMs]);

  const saveState: SaveState = run.isPending
    ? { status: "saving", message: null }
    : run.error
      ? { status: "error", message: errorMessage(run.error) }
      : savedForK
        ? {
            status: "saved",
            message: `Saved as an analysis: K = ${k}${model ? `, model ${model}` : ", no classifier"}.`,
          }
        : {
            status: "idle",
            message: canAnalyse
              ? null
              : analyses.length
                ? "Viewing only: not saved."
                : "Not analysed yet: an annotator can analyse it.",
          };
  return { saveState, pending: run.isPending };
}
