"use client";

import { useState } from "react";
import { SharedAnnotations, type SharedRegion } from "./SharedAnnotations";

export type SharedOverlayView = {
  name: string;
  role: string;
  url: string;
  rect: { x: number; y: number; width: number; height: number };
};

const OVERLAY_NAME: Record<string, string> = {
  segmentation: "Otsu segmentation",
  contrast: "Texture (GLCM contrast)",
  clusters: "k-means clusters",
  cam: "Class activation map",
};

/**
 * The shared image with its overlays (coloured PNGs from the token-scoped overlay route) stacked
 * on top, each with an opacity slider, and the regions drawn over everything.
 */
export function SharedImageViewer(props: {
  image: { fileName: string; width: number; height: number; displayUrl: string };
  overlays: SharedOverlayView[];
  regions: SharedRegion[] | null;
}) {
  const { image } = props;
  const [opacity, setOpacity] = useState<Record<string, number>>(() =>
    Object.fromEntries(props.overlays.map((overlay, i) => [overlay.name, i === 0 ? 0.5 : 0])),
  );
  const [showRegions, setShowRegions] = useState(true);
  const percent = (value: number, total: number) => `${(value / total) * 100}%`;
  return (
    <div style={{ display: "grid", gridTemplateColumns: "minmax(0, 1fr) 260px", gap: 12 }}>
      <div
        style={{
          position: "relative",
          width: "100%",
          aspectRatio: `${image.width} / ${image.height}`,
          background: "#111",
        }}
        data-testid="shared-viewer"
      >
        {/* eslint-disable-next-line @next/next/no-img-element */}
        <img
          src={image.displayUrl}
          alt={image.fileName}
          data-testid="shared-image"
          style={{ position: "absolute", inset: 0, width: "100%", height: "100%" }}
        />
        {props.overlays.map((overlay) => (
          // eslint-disable-next-line @next/next/no-img-element
          <img
            key={overlay.name}
            src={overlay.url}
            alt={overlay.name}
            data-testid="shared-overlay"
            data-overlay={overlay.name}
            style={{
              position: "absolute",
              left: percent(overlay.rect.x, image.width),
              top: percent(overlay.rect.y, image.height),
              width: percent(overlay.rect.width, image.width),
              height: percent(overlay.rect.height, image.height),
              opacity: opacity[overlay.name] ?? 0,
              imageRendering: "pixelated",
            }}
          />
        ))}
        {props.regions && showRegions && (
          <SharedAnnotations regions={props.regions} width={image.width} height={image.height} />
        )}
      </div>
      <div>
        {props.overlays.length === 0 && <p className="muted">No overlays shared.</p>}
        {props.overlays.map((overlay) => (
          <label key={overlay.name} style={{ display: "block", marginBottom: 8 }}>
            {OVERLAY_NAME[overlay.role] ?? overlay.name}
            {overlay.role === "clusters" ? ` (${overlay.name.replace("clusters-", "k = ")})` : ""}
            <input
              type="range"
              min={0}
              max={1}
              step={0.05}
              value={opacity[overlay.name] ?? 0}
              aria-label={`Opacity of ${overlay.name}`}
              onChange={(e) => setOpacity({ ...opacity, [overlay.name]: Number(e.target.value) })}
              style={{ width: "100%" }}
            />
          </label>
        ))}
        {props.regions && (
          <label>
            <input type="checkbox" checked={showRegions} onChange={(e) => setShowRegions(e.target.checked)} /> Regions (
            {props.regions.length})
          </label>
        )}
      </div>
    </div>
  );
}
