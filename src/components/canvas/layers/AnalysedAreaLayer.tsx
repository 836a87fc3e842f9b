"use client";

import { useMemo } from "react";
import { Layer, Rect } from "react-konva";
import type { GridRect } from "~/core/analysis/mask-agreement";

/**
 * What measurements leave out: the image outside its analysed area (an instrument data bar, a
 * crop), dimmed and hatched. Nothing is drawn when the whole image is analysed.
 */
export function AnalysedAreaLayer(props: { area: GridRect | null; image: GridRect; opacity: number }) {
  const hatch = useMemo(() => (typeof document === "undefined" ? null : hatchPattern()), []);
  const bands = props.area ? excludedBands(props.area, props.image) : [];
  if (bands.length === 0) return null;
  // Hatches about 10 screen pixels apart at "fit" for a typical pane.
  const scale = Math.max(1, Math.max(props.image.width, props.image.height) / 900);
  return (
    <Layer name="excluded-area" listening={false} opacity={props.opacity}>
      {bands.map((band, i) => (
        <Rect
          key={i}
          {...band}
          // The hatch tile holds the dimming too; Konva draws canvases as pattern images.
          fillPatternImage={hatch ? (hatch as unknown as HTMLImageElement) : undefined}
          fillPatternRepeat="repeat"
          fillPatternScale={{ x: scale, y: scale }}
          stroke="#ffd43b"
          strokeWidth={1}
          strokeScaleEnabled={false}
        />
      ))}
    </Layer>
  );
}

/** The parts of `image` outside `area`: top, bottom, then left and right of the area's rows. */
export function excludedBands(area: GridRect, image: GridRect): GridRect[] {
  const bottom = area.y + area.height;
  const right = area.x + area.width;
  const bands: GridRect[] = [
    { x: 0, y: 0, width: image.width, height: area.y },
    { x: 0, y: bottom, width: image.width, height: image.height - bottom },
    { x: 0, y: area.y, width: area.x, height: area.height },
    { x: right, y: area.y, width: image.width - right, height: area.height },
  ];
  return bands.filter((band) => band.width > 0 && band.height > 0);
}

function hatchPattern(): HTMLCanvasElement {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 12;
  const context = canvas.getContext("2d");
  if (context) {
    context.fillStyle = "rgba(0, 0, 0, 0.45)";
    context.fillRect(0, 0, 12, 12);
    context.strokeStyle = "rgba(255, 212, 59, 0.8)";
    context.lineWidth = 2;
    context.beginPath();
    context.moveTo(-3, 15);
    context.lineTo(15, -3);
    context.moveTo(-3, 3);
    context.lineTo(3, -3);
    context.moveTo(9, 15);
    context.lineTo(15, 9);
    context.stroke();
  }
  return canvas;
}
