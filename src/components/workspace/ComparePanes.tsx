"use client";

import { useState } from "react";
import { COMPARABLE, OVERLAY_LABELS, type OverlayId } from "./layer-settings";
import type { LoadedMaps } from "./use-analysis-maps";
import type { Clustering } from "./use-clustering";

/** Overlays that cannot be shown now, each with the reason (for the layer panel and compare choices). */
export type Unavailable = Partial<Record<OverlayId, string>>;

export function unavailableOverlays(state: {
  maps: LoadedMaps;
  clustering: Clustering | null;
  target: number | null;
  /** Whether the image has a stored analysis at all. */
  analysed: boolean;
  /** Why a map is missing while there is none yet ("Analysing…", "Not analysed yet."). */
  pending: string;
}): Unavailable {
  const { maps, pending } = state;
  const unavailable: Unavailable = {};
  if (!maps.cam)
    unavailable.cam = state.analysed ? "No class activation map: no classifier model is installed (models/)." : pending;
  if (!state.clustering) unavailable.clusters = pending;
  if (!maps.segmentation) unavailable.segmentation = pending;
  if (!maps.contrast) unavailable.texture = pending;
  if (state.target === null) unavailable.target = "Pick a target cluster in the legend.";
  return unavailable;
}

/** The panes compare mode shows: the user's choice, else the first three available overlays. */
export function useComparePanes(compare: boolean, unavailable: Unavailable) {
  const [chosen, setChosen] = useState<OverlayId[] | null>(null);
  const defaults = (["cam", "clusters", "segmentation", "texture"] as OverlayId[])
    .filter((id) => !unavailable[id])
    .slice(0, 3);
  const panes = compare ? (chosen ?? defaults).filter((id) => !unavailable[id]) : null;
  return { panes, setPanes: setChosen };
}

/** In compare mode: a checkbox per overlay that can have its own pane. */
export function ComparePaneChoices(props: {
  panes: OverlayId[] | null;
  unavailable: Unavailable;
  onChange: (panes: OverlayId[]) => void;
}) {
  const { panes, unavailable } = props;
  return (
    <div className="row muted" style={{ marginBottom: 4 }} data-testid="compare-choices">
      Panes:
      {COMPARABLE.map((id) => (
        <label key={id} className="row" style={{ gap: 4 }} title={unavailable[id]}>
          <input
            type="checkbox"
            disabled={Boolean(unavailable[id])}
            checked={Boolean(panes?.includes(id))}
            onChange={(event) => {
              const current = panes ?? [];
              props.onChange(
                event.target.checked
                  ? COMPARABLE.filter((c) => c === id || current.includes(c))
                  : current.filter((c) => c !== id),
              );
            }}
          />
          {OVERLAY_LABELS[id]}
        </label>
      ))}
    </div>
  );
}
