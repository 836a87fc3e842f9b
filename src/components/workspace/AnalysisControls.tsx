"use client";

import { KMEANS_MAX_K, KMEANS_MIN_K } from "~/core/analysis/kmeans-grey";
import type { ClassificationMode } from "~/core/settings/analysis-settings";
import { CLASSIFICATION_EXPLANATION, ClassificationSelect } from "~/components/settings/ClassificationSelect";
import { ClassProbabilities } from "./ClassProbabilities";
import type { WorkspaceAnalysis } from "./use-analysis-maps";

/** "No classifier" in the model select. */
export const NO_MODEL = "";

/** "Explain the predicted class" in the CAM class select. */
const PREDICTED = "predicted";

/** A model the picker offers: a built-in model or a retrained version (analysis.workspace's installedModels). */
export type ModelChoice = {
  name: string;
  isDefault: boolean;
  label?: string;
  builtIn?: boolean;
  classes?: string[];
};

/** K, target cluster, model, classification and CAM class; what the current analysis is and whether it is saved. */
export function AnalysisControls(props: {
  analysis: WorkspaceAnalysis | null;
  k: number;
  onK: (k: number) => void;
  clusterCount: number;
  target: number | null;
  onTarget: (clusterId: number | null) => void;
  models: ModelChoice[];
  model: string;
  onModel: (model: string) => void;
  /** What the classifier sees (each choice is stored as its own analysis, like each model). */
  classification: ClassificationMode;
  onClassification: (classification: ClassificationMode) => void;
  canRun: boolean;
  saveState: { status: "idle" | "saving" | "saved" | "error"; message: string | null };
  /** The parent analyses (and saves) each CAM class chosen, like each K and model. */
  onCamClass: (camClass: "predicted" | number) => void;
}) {
  const ks = Array.from({ length: KMEANS_MAX_K - KMEANS_MIN_K + 1 }, (_, i) => KMEANS_MIN_K + i);
  const camClass = props.analysis?.maps.find((map) => map.role === "cam")?.camClass ?? null;
  const classifier = props.analysis?.params?.classifier ?? null;
  // Class indices follow the model's class order (probabilities come back in storage order, so
  // they cannot tell it); a model the picker does not know offers only what is on screen.
  const known = props.models.find((m) => m.name === (classifier?.model ?? props.model))?.classes;
  const classes: { index: number; name: string }[] = known
    ? known.map((name, index) => ({ index, name }))
    : camClass
      ? [camClass]
      : [];
  const camValue = camClass === null ? "" : classifier?.camClass === undefined ? PREDICTED : String(camClass.index);
  const chooseCamClass = (value: string) => props.onCamClass(value === PREDICTED ? PREDICTED : Number(value));
  return (
    <section className="panel" aria-label="Analysis">
      <h2>Analysis</h2>
      {props.analysis?.prediction ? (
        <p data-testid="prediction" style={{ margin: "0 0 10px" }}>
          <strong>{props.analysis.prediction}</strong>{" "}
          {props.analysis.confidence !== null && (
            <span className="muted">{(props.analysis.confidence * 100).toFixed(1)} %</span>
          )}
        </p>
      ) : (
        <p className="muted" data-testid="prediction" style={{ margin: "0 0 10px" }}>
          {props.analysis ? "Not classified: no model installed (see models/)." : "Not analysed yet."}
        </p>
      )}
      {props.analysis?.prediction && props.analysis.uncertainty.uncertain && (
        <p data-testid="prediction-uncertain" style={{ margin: "0 0 10px" }}>
          <strong>uncertain</strong>{" "}
          <span className="muted">
            ({props.analysis.uncertainty.reason}): the class above is only the model&apos;s best guess
          </span>
        </p>
      )}
      {props.analysis?.prediction && <ClassProbabilities probabilities={props.analysis.probabilities} />}
      <div
        style={{
          display: "grid",
          gridTemplateColumns: "auto minmax(0, 1fr)",
          gap: "6px 10px",
          alignItems: "center",
        }}
      >
        <label htmlFor="k-select">K (k-means)</label>
        <select
          id="k-select"
          data-testid="k-select"
          value={props.k}
          onChange={(event) => props.onK(Number(event.target.value))}
        >
          {ks.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
        <label htmlFor="target-select">Target cluster</label>
        <select
          id="target-select"
          data-testid="target-select"
          value={props.target ?? ""}
          onChange={(event) => props.onTarget(event.target.value === "" ? null : Number(event.target.value))}
        >
          <option value="">none</option>
          {Array.from({ length: props.clusterCount }, (_, id) => (
            <option key={id} value={id}>
              cluster {id}
            </option>
          ))}
        </select>
        <label htmlFor="model-select">Model</label>
        <select
          id="model-select"
          data-testid="model-select"
          value={props.model}
          disabled={!props.canRun}
          title={props.canRun ? undefined : "Only annotators and above can run analyses"}
          onChange={(event) => props.onModel(event.target.value)}
        >
          {props.models.map((model) => (
            <option key={model.name} value={model.name}>
              {model.label ?? model.name}
              {model.isDefault ? " (default)" : model.builtIn === false ? " (retrained)" : ""}
            </option>
          ))}
          <option value={NO_MODEL}>no classifier</option>
        </select>
        <label htmlFor="classification-select">Classify</label>
        <ClassificationSelect
          id="classification-select"
          testId="classification-select"
          value={props.classification}
          disabled={!props.canRun || props.model === NO_MODEL}
          onChange={props.onClassification}
        />
        <label htmlFor="cam-class">CAM class</label>
        <select
          id="cam-class"
          data-testid="cam-class"
          value={camValue}
          disabled={!camClass || !props.canRun}
          title={
            !camClass
              ? "No class activation map: analyse with a classifier first"
              : props.canRun
                ? "Which class the activation map explains (each choice is stored as its own analysis)"
                : "Only annotators and above can run analyses"
          }
          onChange={(event) => chooseCamClass(event.target.value)}
        >
          {!camClass && <option value="">no CAM</option>}
          {camClass && (
            <option value={PREDICTED}>
              predicted{props.analysis?.prediction ? ` (${props.analysis.prediction})` : ""}
            </option>
          )}
          {camClass &&
            classes.map((entry) => (
              <option key={entry.index} value={String(entry.index)}>
                {entry.name}
              </option>
            ))}
        </select>
      </div>
      <p className="muted" style={{ margin: "6px 0 0", fontSize: "0.75rem" }}>
        {CLASSIFICATION_EXPLANATION}
      </p>
      <p className="muted" data-testid="analysis-status" style={{ margin: "10px 0 0", fontSize: "0.8rem" }}>
        {props.saveState.status === "saving" && "Saving the analysis…"}
        {props.saveState.status === "saved" && (props.saveState.message ?? "Saved.")}
        {props.saveState.status === "error" && <span className="error">{props.saveState.message}</span>}
        {props.saveState.status === "idle" && (props.saveState.message ?? "")}
      </p>
    </section>
  );
}
