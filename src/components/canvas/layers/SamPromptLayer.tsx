"use client";

import { useMemo } from "react";
import { Circle, Image as KonvaImage, Layer, Rect } from "react-konva";
import { outlineRgba } from "~/components/objects/label-map";
import type { MaskGeometry } from "~/core/regions/region-geometry";
import type { AnnotationEditor } from "../AnnotationEditor";
import { useEditorZoom } from "./use-editor-zoom";
import { rgbaToCanvas } from "../colorize-canvas";
import { maskPixels } from "../geometry-ops";
import { maskRaster } from "../region-raster";
import { currentStep, shownMask } from "../tools/sam/sam-draft";
import { UNCLASSIFIED_COLOR } from "./AnnotationLayer";

const POSITIVE_COLOR = "#22c55e";
const NEGATIVE_COLOR = "#ef4444";
const OUTLINE_RGBA: readonly number[] = [255, 255, 255, 255];

/**
 * The SAM tool's prompt and the decoder's current mask: the mask translucent in the class colour
 * with a white outline, positive points green, negative red, the box dashed. The mask of the
 * previous prompt stays (dimmer) while the next one is decoded, so the view never flickers.
 */
export function SamPromptLayer(props: { editor: AnnotationEditor; classColors: ReadonlyMap<string, string> }) {
  const { editor } = props;
  const scale = useEditorZoom(editor);
  const draft = editor.draft?.kind === "sam" ? editor.draft : null;
  const classId = editor.settings.labelClassId;
  const color = (classId && props.classColors.get(classId)) || UNCLASSIFIED_COLOR;
  const step = currentStep(draft);
  const mask = shownMask(draft);
  const current = mask !== null && step?.mask === mask;
  const outline = useMemo(() => (mask ? maskOutline(mask.geometry) : null), [mask]);
  if (!draft) return null;
  const { width, height } = editor.imageSize;
  const radius = 5 / scale;
  const box = draft.dragBox
    ? {
        x0: Math.min(draft.dragBox.from[0], draft.dragBox.to[0]),
        y0: Math.min(draft.dragBox.from[1], draft.dragBox.to[1]),
        x1: Math.max(draft.dragBox.from[0], draft.dragBox.to[0]),
        y1: Math.max(draft.dragBox.from[1], draft.dragBox.to[1]),
      }
    : (step?.box ?? null);

  return (
    <Layer name="sam-prompt" listening={false} imageSmoothingEnabled={false}>
      {mask && (
        <KonvaImage
          name="sam-mask"
          samStep={current ? step?.id : undefined}
          image={maskRaster(mask.geometry, color)}
          width={width}
          height={height}
          opacity={current ? 0.45 : 0.25}
        />
      )}
      {outline && <KonvaImage name="sam-mask-outline" image={outline} width={width} height={height} />}
      {box && (
        <Rect
          x={box.x0}
          y={box.y0}
          width={box.x1 - box.x0}
          height={box.y1 - box.y0}
          stroke="#ffffff"
          strokeWidth={2}
          strokeScaleEnabled={false}
          dash={[6 / scale, 4 / scale]}
        />
      )}
      {(step?.points ?? []).map((point, index) => (
        <Circle
          key={index}
          name={point.positive ? "sam-point-positive" : "sam-point-negative"}
          x={point.x}
          y={point.y}
          radius={radius}
          fill={point.positive ? POSITIVE_COLOR : NEGATIVE_COLOR}
          stroke="#ffffff"
          strokeWidth={1.5}
          strokeScaleEnabled={false}
        />
      ))}
    </Layer>
  );
}

/** The mask's boundary pixels (inside, with a 4-neighbour outside) in white, on the mask's grid. */
function maskOutline(geometry: MaskGeometry): HTMLCanvasElement {
  const pixels = maskPixels(geometry);
  const labels = new Int32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) labels[i] = pixels[i] === 0 ? 0 : 1;
  const map = { width: geometry.gridWidth, height: geometry.gridHeight, labels };
  return rgbaToCanvas(
    outlineRgba(map, () => OUTLINE_RGBA),
    geometry.gridWidth,
    geometry.gridHeight,
  );
}
