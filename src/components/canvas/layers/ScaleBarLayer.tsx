"use client";

import type Konva from "konva";
import { useEffect, useRef, useState } from "react";
import { Group, Layer, Line, Rect, Text } from "react-konva";
import type { PixelSize } from "~/core/objects/units";
import type { AnnotationEditor } from "../AnnotationEditor";
import { useEditorZoom } from "./use-editor-zoom";
import { formatNumber, scaleBarFor } from "../scale-bar";

const MARGIN = 12;

/**
 * The scale bar (bottom-left, a 1-2-5 length taking 10-25 % of the view's width, following the
 * zoom), or "No scale" when the image has no pixel size; and the set-scale tool's measuring line.
 * The bar is drawn in screen pixels: its group undoes the stage's camera transform (set
 * imperatively on camera changes, like the stage itself).
 */
export function ScaleBarLayer(props: { editor: AnnotationEditor; pixelSize: PixelSize | null }) {
  const { editor, pixelSize } = props;
  // Only the zoom re-renders (the bar's length); panning moves the group without React.
  const scale = useEditorZoom(editor);
  const layerRef = useRef<Konva.Layer>(null);
  const [view, setView] = useState({ width: 0, height: 0 });
  useEffect(() => {
    const stage = layerRef.current?.getStage();
    if (!stage) return;
    const update = () => setView({ width: stage.width(), height: stage.height() });
    update();
    stage.on("widthChange.scalebar heightChange.scalebar", update);
    return () => {
      stage.off("widthChange.scalebar heightChange.scalebar");
    };
  }, []);

  const groupRef = useRef<Konva.Group>(null);
  const shown = view.width > 0;
  useEffect(() => {
    const apply = () => {
      const group = groupRef.current;
      if (!group) return;
      const camera = editor.camera.get();
      group.position({ x: -camera.x / camera.scale, y: -camera.y / camera.scale });
      group.scale({ x: 1 / camera.scale, y: 1 / camera.scale });
    };
    apply();
    return editor.camera.subscribe(apply);
  }, [editor, shown]);

  const bar = pixelSize ? scaleBarFor(pixelSize, scale, view.width) : null;
  const line = editor.measureLine;
  const lineLength = line ? Math.hypot(line.to[0] - line.from[0], line.to[1] - line.from[1]) : 0;
  const barTop = view.height - MARGIN - 34;

  return (
    <Layer ref={layerRef} name="scale-bar" listening={false}>
      {line && (
        <>
          <Line
            name="measure-line"
            points={[...line.from, ...line.to]}
            stroke="#00e5ff"
            strokeWidth={2}
            strokeScaleEnabled={false}
            shadowColor="#000"
            shadowBlur={2}
          />
          <Text
            x={line.to[0] + 6 / scale}
            y={line.to[1] + 6 / scale}
            text={`${formatNumber(lineLength, 4)} px`}
            fontSize={12 / scale}
            fill="#00e5ff"
          />
        </>
      )}
      {shown && (
        <Group ref={groupRef}>
          {bar ? (
            <>
              <Rect
                x={MARGIN - 6}
                y={barTop - 4}
                width={Math.max(bar.screenPx, 60) + 12}
                height={34}
                fill="rgba(0,0,0,0.55)"
                cornerRadius={4}
              />
              <Rect name="scale-bar-bar" x={MARGIN} y={barTop + 18} width={bar.screenPx} height={5} fill="#ffffff" />
              <Text
                name="scale-bar-label"
                x={MARGIN}
                y={barTop}
                text={bar.text}
                fontSize={13}
                fontStyle="bold"
                fill="#ffffff"
              />
            </>
          ) : (
            <>
              <Rect x={MARGIN - 6} y={barTop + 4} width={204} height={22} fill="rgba(0,0,0,0.55)" cornerRadius={4} />
              <Text
                name="scale-bar-missing"
                x={MARGIN}
                y={barTop + 9}
                text="No scale: set it with Scale (S)"
                fontSize={12}
                fill="#ffd36b"
              />
            </>
          )}
        </Group>
      )}
    </Layer>
  );
}
