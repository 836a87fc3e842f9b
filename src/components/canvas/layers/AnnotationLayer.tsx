"use client";

import { Circle, Group, Image as KonvaImage, Layer, Line, Rect } from "react-konva";
import type { RegionGeometry } from "~/core/regions/region-geometry";
import type { AnnotationEditor, EditorRegion } from "../AnnotationEditor";
import { useEditorZoom } from "./use-editor-zoom";
import { vertexHandles } from "../geometry-ops";
import { brushRaster, maskRaster } from "../region-raster";

/** Colour of regions without a class. */
export const UNCLASSIFIED_COLOR = "#ffcc00";

/**
 * Regions, the shape being drawn, and the selected region's handles. Reads the editor's state
 * and renders; all behaviour is in the editor's tools.
 */
export function AnnotationLayer(props: {
  editor: AnnotationEditor;
  classColors: ReadonlyMap<string, string>;
  opacity: number;
}) {
  const { editor } = props;
  const scale = useEditorZoom(editor);
  const colorOf = (region: Pick<EditorRegion, "labelClassId">) =>
    (region.labelClassId && props.classColors.get(region.labelClassId)) || UNCLASSIFIED_COLOR;
  const selected = editor.region(editor.selectedKey);
  const draft = editor.draft;
  const handleRadius = 5 / scale;

  return (
    <Layer name="annotations" listening={false}>
      <Group opacity={props.opacity}>
        {editor.regions.map((region) => (
          <RegionShape
            key={region.key}
            geometry={region.geometry}
            color={colorOf(region)}
            selected={region.key === editor.selectedKey}
            editor={editor}
          />
        ))}
      </Group>
      {selected &&
        vertexHandles(selected.geometry).map(([x, y], index) => (
          <Circle
            key={index}
            x={x}
            y={y}
            radius={handleRadius}
            fill="#ffffff"
            stroke="#1d2330"
            strokeWidth={1.5}
            strokeScaleEnabled={false}
          />
        ))}
      {draft?.kind === "polygon" && (
        <>
          <Line
            points={[...draft.points, ...(draft.cursor ? [draft.cursor] : [])].flat()}
            stroke={colorOf(editor.settings)}
            strokeWidth={2}
            strokeScaleEnabled={false}
            dash={[6 / scale, 4 / scale]}
          />
          {draft.points.map(([x, y], index) => (
            <Circle
              key={index}
              x={x}
              y={y}
              radius={handleRadius}
              fill={index === 0 ? "#ffffff" : colorOf(editor.settings)}
              strokeScaleEnabled={false}
            />
          ))}
        </>
      )}
      {draft?.kind === "rectangle" && (
        <Rect
          x={Math.min(draft.from[0], draft.to[0])}
          y={Math.min(draft.from[1], draft.to[1])}
          width={Math.abs(draft.to[0] - draft.from[0])}
          height={Math.abs(draft.to[1] - draft.from[1])}
          stroke={colorOf(editor.settings)}
          strokeWidth={2}
          strokeScaleEnabled={false}
          dash={[6 / scale, 4 / scale]}
        />
      )}
      {draft?.kind === "brush" && (
        <Line
          points={draft.stroke.points.flat()}
          stroke={draft.stroke.mode === "erase" ? "rgba(255,255,255,0.7)" : colorOf(editor.settings)}
          strokeWidth={draft.stroke.size}
          lineCap="round"
          lineJoin="round"
          opacity={0.6}
        />
      )}
    </Layer>
  );
}

function RegionShape(props: { geometry: RegionGeometry; color: string; selected: boolean; editor: AnnotationEditor }) {
  const { geometry, color, selected } = props;
  const outline = {
    stroke: selected ? "#ffffff" : color,
    strokeWidth: selected ? 2.5 : 1.5,
    strokeScaleEnabled: false,
  };
  switch (geometry.kind) {
    case "polygon":
      return <Line points={geometry.points.flat()} closed fill={withAlpha(color, 0.3)} {...outline} />;
    case "rectangle":
      return (
        <Rect
          x={geometry.x}
          y={geometry.y}
          width={geometry.width}
          height={geometry.height}
          fill={withAlpha(color, 0.3)}
          {...outline}
        />
      );
    case "brush": {
      const { width, height } = props.editor.imageSize;
      return (
        <KonvaImage
          image={brushRaster(geometry, props.editor.imageSize, color)}
          width={width}
          height={height}
          opacity={selected ? 0.75 : 0.5}
        />
      );
    }
    case "mask": {
      const { width, height } = props.editor.imageSize;
      return (
        <KonvaImage image={maskRaster(geometry, color)} width={width} height={height} opacity={selected ? 0.7 : 0.45} />
      );
    }
  }
}

function withAlpha(hex: string, alpha: number): string {
  const match = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!match) return hex;
  const value = parseInt(match[1]!, 16);
  return `rgba(${(value >> 16) & 255}, ${(value >> 8) & 255}, ${value & 255}, ${alpha})`;
}
