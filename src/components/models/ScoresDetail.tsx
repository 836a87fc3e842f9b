"use client";

import { useState } from "react";
import type { RouterOutputs } from "~/trpc/react";
import { ConfusionCellImages } from "./ConfusionCellImages";
import { ConfusionMatrix, type ConfusionCell } from "./ConfusionMatrix";
import { PerClassTable } from "./PerClassTable";

type ModelVersionItem = RouterOutputs["modelVersion"]["list"][number];
type Scores = NonNullable<ModelVersionItem["syntheticTest"]>;

export const percent = (value: number | null | undefined) =>
  value === null || value === undefined ? "–" : `${(value * 100).toFixed(1)} %`;

/**
 * One evaluation of a version: how it was measured, its summary numbers, per-class precision and
 * recall, and its confusion matrix. With `drillDown`, the matrix's cells list their images.
 */
export function ScoresDetail(props: {
  title: string;
  scores: Scores;
  testId: string;
  drillDown?: { projectId: string; modelVersionId: string } | null;
  /** Shown instead of the drill-down when per-image predictions are missing. */
  noDrillDownReason?: string | null;
}) {
  const { scores, drillDown } = props;
  const [cell, setCell] = useState<ConfusionCell | null>(null);
  return (
    <div data-testid={props.testId} style={{ marginBottom: 12 }}>
      <h3 style={{ fontSize: "0.95rem", margin: "4px 0" }}>{props.title}</h3>
      <p className="muted" style={{ fontSize: "0.85rem", margin: "0 0 6px" }}>
        Measured by {scores.evaluation} · n = {scores.n} · accuracy {percent(scores.weightedAccuracy)}
        {scores.balancedAccuracy !== null ? ` · balanced accuracy ${percent(scores.balancedAccuracy)}` : ""} · weighted
        F1 {percent(scores.weightedF1)}
      </p>
      <div className="row" style={{ alignItems: "flex-start", gap: 24 }}>
        <PerClassTable perClass={scores.perClass} />
        <ConfusionMatrix
          classes={scores.classes}
          matrix={scores.confusionMatrix}
          selected={cell}
          onCellClick={drillDown ? (picked) => setCell(picked) : undefined}
        />
      </div>
      {props.noDrillDownReason && (
        <p className="muted" style={{ fontSize: "0.85rem" }} data-testid="no-drill-down">
          {props.noDrillDownReason}
        </p>
      )}
      {drillDown && cell && <ConfusionCellImages {...drillDown} cell={cell} />}
    </div>
  );
}
