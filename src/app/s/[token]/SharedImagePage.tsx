import Link from "next/link";
import { SharedImageViewer } from "~/components/sharing/SharedImageViewer";
import type { SharedImage } from "~/server/sharing/get-shared-image";

const percent = (value: number) => `${(value * 100).toFixed(1)} %`;

/** The read-only results of one image (server-rendered; the viewer is the only client part). */
export function SharedImagePage({ token, view }: { token: string; view: SharedImage }) {
  return (
    <>
      {view.link.kind === "dataset" && (
        <p className="muted">
          <Link href={`/s/${token}`}>{view.link.datasetName}</Link> /
        </p>
      )}
      <h1 data-testid="shared-title">
        {view.image.fileName} <span className="badge">read-only</span>
      </h1>
      <SharedImageViewer image={view.image} overlays={view.overlays} regions={view.annotations?.regions ?? null} />
      <div className="cards" style={{ marginTop: 12 }}>
        {view.annotations && (
          <div className="card" data-testid="shared-label">
            <strong>Label</strong>
            <div>{view.annotations.label?.name ?? "unlabelled"}</div>
          </div>
        )}
        {view.prediction && (
          <div className="card" data-testid="shared-prediction">
            <strong>Prediction</strong>
            <div>
              {view.prediction.className}
              {view.prediction.probability !== null && ` (${percent(view.prediction.probability)})`}
            </div>
            <div className="muted">
              {view.prediction.probabilities.map((p) => `${p.className} ${percent(p.probability)}`).join(" · ")}
            </div>
            {view.prediction.model && <div className="muted">model {view.prediction.model}</div>}
          </div>
        )}
        {view.metrics && (
          <div className="card" data-testid="shared-metrics">
            <strong>Metrics</strong>
            {view.metrics.otsuThreshold !== null && <div>Otsu threshold {view.metrics.otsuThreshold}</div>}
            {view.metrics.foregroundFraction !== null && (
              <div>Foreground {percent(view.metrics.foregroundFraction)}</div>
            )}
            {view.metrics.meanContrast !== null && (
              <div>Mean texture contrast {view.metrics.meanContrast.toFixed(3)}</div>
            )}
            {view.metrics.clusterShares.map((c) => (
              <div key={c.k}>
                k = {c.k}: {c.areaPercent.map((share) => `${share.toFixed(1)} %`).join(" / ")}
              </div>
            ))}
          </div>
        )}
      </div>
    </>
  );
}
