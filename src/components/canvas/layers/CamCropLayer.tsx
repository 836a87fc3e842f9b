"use client";

import { Layer, Rect } from "react-konva";
import type { GridRect } from "~/core/analysis/mask-agreement";

/** The centre crop the classifier sees (and its CAM covers), outlined dashed. */
export function CamCropLayer(props: { rect: GridRect; opacity: number }) {
  return (
    <Layer name="cam-crop" listening={false} opacity={props.opacity}>
      <Rect
        {...props.rect}
        stroke="#ffffff"
        strokeWidth={2}
        dash={[8, 6]}
        strokeScaleEnabled={false}
        shadowColor="#000"
        shadowBlur={2}
        shadowOpacity={0.8}
      />
    </Layer>
  );
}
