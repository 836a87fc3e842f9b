"use client";

import { useEffect, useRef, useState } from "react";
import { applyWindow, rawValueAt } from "~/components/canvas/window-level";
import { ColorBar, MAP_SCALES } from "~/components/display/ColorBar";
import { useWindowLevel, type DisplayImage, type WindowLevelState } from "~/components/display/use-window-level";
import { WindowLevelPanel } from "~/components/display/WindowLevelPanel";
import { PixelReadout, type PixelValues } from "~/components/workspace/PixelReadout";
import { scaleBarFor } from "~/core/objects/scale-bar-length";
import type { PixelSize } from "~/core/objects/units";
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
 * on top, each with an opacity slider, and the regions drawn over everything; a scale bar
 * (bottom-left, the canvas's 1-2-5 rule) when the image has a pixel size. Read-only viewers may
 * window/level too (in their browser only), and the pointer shows the raw value.
 */
export function SharedImageViewer(props: {
  image: DisplayImage & { fileName: string; pixelSize?: PixelSize | null };
  overlays: SharedOverlayView[];
  regions: SharedRegion[] | null;
}) {
  const { image } = props;
  const [opacity, setOpacity] = useState<Record<string, number>>(() =>
    Object.fromEntries(props.overlays.map((overlay, i) => [overlay.name, i === 0 ? 0.5 : 0])),
  );
  const [showRegions, setShowRegions] = useState(true);
  const percent = (value: number, total: number) => `${(value / total) * 100}%`;
  const viewerRef = useRef<HTMLDivElement>(null);
  const viewWidth = useElementWidth(viewerRef);
  const bar = image.pixelSize ? scaleBarFor(image.pixelSize, viewWidth / image.width, viewWidth) : null;
  const windowLevel = useWindowLevel(image);
  const [hover, setHover] = useState<PixelValues | null>(null);
  const onPointerMove = (event: React.PointerEvent<HTMLDivElement>) => {
    const samples = windowLevel.samples;
    if (!samples) return;
    const rect = event.currentTarget.getBoundingClientRect();
    const x = ((event.clientX - rect.left) / rect.width) * image.width;
    const y = ((event.clientY - rect.top) / rect.height) * image.height;
    const raw = rawValueAt(samples, image, x, y);
    const lut = windowLevel.currentLut;
    const display = raw && lut ? raw.map((value) => lut[value]!) : null;
    setHover(raw && { x: Math.floor(x), y: Math.floor(y), raw, display, cam: null, cluster: null });
  };
  return (
    <>
      <div style={{ display: "grid", gridTemplateColumns: "minmax(0, 1fr) 260px", gap: 12 }}>
        <div
          style={{
            position: "relative",
            width: "100%",
            aspectRatio: `${image.width} / ${image.height}`,
            background: "#111",
          }}
          data-testid="shared-viewer"
          ref={viewerRef}
          onPointerMove={onPointerMove}
          onPointerLeave={() => setHover(null)}
        >
          {/* eslint-disable-next-line @next/next/no-img-element */}
          <img
            src={image.displayUrl}
            alt={image.fileName}
            data-testid="shared-image"
            style={{ position: "absolute", inset: 0, width: "100%", height: "100%" }}
          />
          <WindowedCanvas state={windowLevel} />
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
          {bar && (
            <div
              data-testid="share-scale-bar"
              data-length={bar.text}
              style={{
                position: "absolute",
                left: 12,
                bottom: 12,
                padding: "4px 6px",
                background: "rgba(0,0,0,0.55)",
                borderRadius: 4,
                color: "#fff",
                font: "bold 13px sans-serif",
                pointerEvents: "none",
              }}
            >
              <div>{bar.text}</div>
              <div style={{ width: bar.screenPx, height: 5, marginTop: 3, background: "#fff" }} />
            </div>
          )}
        </div>
        <div>
          <WindowLevelPanel state={windowLevel} />
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
              {overlay.role === "cam" && <ColorBar colormap="jet" {...MAP_SCALES.cam} />}
              {overlay.role === "contrast" && <ColorBar colormap="hot" {...MAP_SCALES.texture} />}
            </label>
          ))}
          {props.regions && (
            <label>
              <input type="checkbox" checked={showRegions} onChange={(e) => setShowRegions(e.target.checked)} /> Regions
              ({props.regions.length})
            </label>
          )}
        </div>
      </div>
      <PixelReadout values={hover} bitDepth={image.bitDepth} />
    </>
  );
}

/**
 * The windowed image over the served one, once someone moves the window (the served rendition
 * is the default window, so nothing is drawn until then).
 */
function WindowedCanvas(props: { state: WindowLevelState }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const { samples, lut } = props.state;
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !samples || !lut) return;
    const frame = requestAnimationFrame(() => {
      canvas.width = samples.width;
      canvas.height = samples.height;
      const pixels = new ImageData(applyWindow(samples, lut), samples.width, samples.height);
      canvas.getContext("2d")?.putImageData(pixels, 0, 0);
    });
    return () => cancelAnimationFrame(frame);
  }, [samples, lut]);
  if (!samples || !lut) return null;
  return (
    <canvas
      ref={canvasRef}
      data-testid="shared-image-windowed"
      style={{ position: "absolute", inset: 0, width: "100%", height: "100%" }}
    />
  );
}

/** The element's rendered width in CSS pixels, following resizes (0 before layout). */
function useElementWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const update = () => setWidth(element.getBoundingClientRect().width);
    update();
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(update);
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}
