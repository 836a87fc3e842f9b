"use client";

import { Image as KonvaImage, Layer } from "react-konva";
import type { GridRect } from "~/core/analysis/mask-agreement";

/**
 * One overlay: an already coloured canvas stretched over the part of the image it covers.
 * Label maps keep hard pixel edges (no smoothing) when zoomed in; opacity is a layer property,
 * so the slider only redraws.
 */
export function RasterLayer(props: {
  name: string;
  canvas: HTMLCanvasElement | null;
  rect: GridRect;
  opacity: number;
  smooth?: boolean;
}) {
  if (!props.canvas) return null;
  return (
    <Layer name={props.name} listening={false} opacity={props.opacity} imageSmoothingEnabled={props.smooth ?? false}>
      <KonvaImage
        image={props.canvas}
        x={props.rect.x}
        y={props.rect.y}
        width={props.rect.width}
        height={props.rect.height}
      />
    </Layer>
  );
}
