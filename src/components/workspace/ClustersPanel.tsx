"use client";

import type { AnnotationEditor } from "~/components/canvas/AnnotationEditor";
import type { GreyImage } from "~/core/analysis/raster";
import { ClusterLegend } from "./ClusterLegend";
import { addMaskRegion, clusterMask } from "./mask-region";
import type { Clustering } from "./use-clustering";

/**
 * The clusters of the current K: legend (pick the target cluster), the target's share of the
 * area, and, for those who may annotate, a cluster or the segmentation as a new region.
 */
export function ClustersPanel(props: {
  k: number;
  clustering: Clustering | null;
  segmentation: GreyImage | null;
  analysisId: string | undefined;
  target: number | null;
  onTarget: (clusterId: number | null) => void;
  editor: AnnotationEditor;
  canAnnotate: boolean;
  regionClassName: string | null;
  pendingText: string;
}) {
  const { clustering, segmentation, target, editor } = props;
  const clusterToRegion = (clusterId: number) => {
    if (!clustering) return;
    const labels = clustering.labels;
    addMaskRegion(editor, clusterMask(labels, clusterId), labels.width, labels.height, {
      analysisId: props.analysisId,
      map: `clusters-${clustering.k}`,
      clusterId,
    });
  };
  return (
    <section className="panel" aria-label="Clusters">
      <h2>Clusters (K = {clustering?.k ?? props.k})</h2>
      {clustering ? (
        <>
          <ClusterLegend
            clustering={clustering}
            target={target}
            onTarget={props.onTarget}
            onMakeRegion={props.canAnnotate ? clusterToRegion : null}
            regionClassName={props.regionClassName}
          />
          {target !== null && (
            <p data-testid="target-share" style={{ margin: "8px 0 0" }}>
              Cluster {target}: <strong>{clustering.areaPercent[target]?.toFixed(2)} %</strong> of the total image area
            </p>
          )}
          {props.canAnnotate && segmentation && (
            <button
              type="button"
              data-testid="segmentation-to-region"
              style={{ marginTop: 8 }}
              onClick={() =>
                addMaskRegion(editor, segmentation.data, segmentation.width, segmentation.height, {
                  analysisId: props.analysisId,
                  map: "segmentation",
                })
              }
            >
              Segmentation → region{props.regionClassName ? ` (${props.regionClassName})` : ""}
            </button>
          )}
        </>
      ) : (
        <p className="muted">{props.pendingText}</p>
      )}
    </section>
  );
}
