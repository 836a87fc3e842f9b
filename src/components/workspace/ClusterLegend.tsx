"use client";

import { useMemo } from "react";
import { labelColor } from "~/components/canvas/colorize-canvas";
import { colormapLut } from "~/core/analysis/colormaps";
import type { Clustering } from "./use-clustering";

/**
 * Each cluster's colour (viridis, as the map), mean grey (0..255 of the analysis image, when
 * known) and share of the area. Clicking an entry makes it
 * the target cluster; the arrow turns it into a region of the current class.
 */
export function ClusterLegend(props: {
  clustering: Clustering;
  target: number | null;
  onTarget: (clusterId: number | null) => void;
  onMakeRegion: ((clusterId: number) => void) | null;
  regionClassName: string | null;
}) {
  const lut = useMemo(() => colormapLut("viridis"), []);
  const { clustering } = props;
  return (
    <div data-testid="cluster-legend">
      <ul style={{ listStyle: "none", margin: 0, padding: 0, display: "grid", gap: 4 }}>
        {clustering.areaPercent.map((percent, clusterId) => (
          <li key={clusterId} className="row" style={{ gap: 6, flexWrap: "nowrap" }}>
            <button
              type="button"
              data-testid={`legend-cluster-${clusterId}`}
              aria-pressed={props.target === clusterId}
              onClick={() => props.onTarget(props.target === clusterId ? null : clusterId)}
              title="Show as the target cluster"
              style={{
                flex: 1,
                display: "flex",
                alignItems: "center",
                gap: 8,
                padding: "4px 8px",
                borderColor: props.target === clusterId ? "var(--accent)" : undefined,
                background: props.target === clusterId ? "#eef2ff" : undefined,
              }}
            >
              <span
                style={{
                  width: 14,
                  height: 14,
                  borderRadius: 3,
                  background: labelColor(lut, clusterId, clustering.k),
                  border: "1px solid #0002",
                }}
              />
              <span>Cluster {clusterId}</span>
              {clustering.centers[clusterId] !== undefined && (
                <span className="muted" title="Mean grey of the cluster (analysis image, 0–255)">
                  grey {clustering.centers[clusterId].toFixed(0)}
                </span>
              )}
              <span className="muted" style={{ marginLeft: "auto" }} data-testid={`legend-share-${clusterId}`}>
                {percent.toFixed(2)} %
              </span>
            </button>
            {props.onMakeRegion && (
              <button
                type="button"
                data-testid={`cluster-to-region-${clusterId}`}
                title={`Make cluster ${clusterId} a region${props.regionClassName ? ` of class ${props.regionClassName}` : ""}`}
                onClick={() => props.onMakeRegion?.(clusterId)}
                style={{ padding: "4px 8px" }}
              >
                → region
              </button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
