"use client";

import type { CamAgreement } from "~/core/analysis/mask-agreement";

/**
 * Which cluster the network looks at: IoU of the CAM's hot region (values at or above the
 * threshold) with each cluster and with the Otsu segmentation, recomputed in the browser.
 */
export function AgreementTable(props: {
  agreement: CamAgreement | null;
  threshold: number;
  onThreshold: (threshold: number) => void;
  unavailable: string | null;
}) {
  const { agreement } = props;
  return (
    <section className="panel" aria-label="CAM agreement">
      <h2>Where the network looks</h2>
      {props.unavailable ? (
        <p className="muted">{props.unavailable}</p>
      ) : (
        <>
          <label className="row muted" style={{ marginBottom: 8 }}>
            CAM hot region ≥
            <input
              type="range"
              min={0.05}
              max={0.95}
              step={0.05}
              value={props.threshold}
              aria-label="CAM threshold"
              data-testid="cam-threshold"
              onChange={(event) => props.onThreshold(Number(event.target.value))}
              style={{ padding: 0 }}
            />
            <span>{props.threshold.toFixed(2)}</span>
          </label>
          {agreement && (
            <table data-testid="agreement-table" style={{ fontSize: "0.85rem" }}>
              <thead>
                <tr>
                  <th>Compared with</th>
                  <th>IoU</th>
                  <th title="Share of the hot region inside">in hot</th>
                </tr>
              </thead>
              <tbody>
                {agreement.clusters.map((entry) => (
                  <tr
                    key={entry.clusterId}
                    style={{ fontWeight: entry.clusterId === agreement.bestClusterId ? 600 : undefined }}
                  >
                    <td>
                      Cluster {entry.clusterId}
                      {entry.clusterId === agreement.bestClusterId ? " ★" : ""}
                    </td>
                    <td>{entry.iou.toFixed(3)}</td>
                    <td>{(entry.hotShare * 100).toFixed(1)} %</td>
                  </tr>
                ))}
                <tr>
                  <td>Segmentation</td>
                  <td>{agreement.segmentationIou === null ? "—" : agreement.segmentationIou.toFixed(3)}</td>
                  <td />
                </tr>
              </tbody>
            </table>
          )}
          {agreement && (
            <p className="muted" style={{ margin: "6px 0 0", fontSize: "0.78rem" }}>
              Hot region: {(agreement.hotFraction * 100).toFixed(1)} % of the area the CAM covers.
            </p>
          )}
        </>
      )}
    </section>
  );
}
