"use client";

import { useMemo } from "react";
import { Image as KonvaImage, Layer, Rect } from "react-konva";
import type { GridRect } from "~/core/analysis/mask-agreement";
import { objectFillRgba, outlineRgba, type LabelMap } from "~/components/objects/label-map";
import { rgbaToCanvas } from "../colorize-canvas";

/** What the objects overlay draws: the label map, a colour per label, and the selected object. */
export type ObjectsOverlay = {
  labelMap: LabelMap;
  /** RGBA bytes of a label's outline (the chosen descriptor through a colour map). */
  colorOf: (label: number) => readonly number[] | null;
  /** Recolouring key: changes when colorOf does. */
  colorKey: string;
  selected: { label: number; bbox: readonly [number, number, number, number] } | null;
};

/**
 * Object outlines from the label map, coloured by a descriptor, and the selected object filled
 * and boxed. The label map may be smaller than the image: it is stretched over `rect`.
 */
export function ObjectsLayer(props: { objects: ObjectsOverlay; rect: GridRect; opacity: number }) {
  const { labelMap, colorOf, colorKey, selected } = props.objects;
  const outlines = useMemo(
    () => rgbaToCanvas(outlineRgba(labelMap, colorOf), labelMap.width, labelMap.height),
    // colorKey names what colorOf depends on.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [labelMap, colorKey],
  );
  const selectedLabel = selected?.label ?? null;
  const fill = useMemo(
    () =>
      selectedLabel === null
        ? null
        : rgbaToCanvas(objectFillRgba(labelMap, selectedLabel, [255, 255, 255, 150]), labelMap.width, labelMap.height),
    [labelMap, selectedLabel],
  );
  const { rect } = props;
  const sx = rect.width / labelMap.width;
  const sy = rect.height / labelMap.height;
  /** Both images cover `rect`. */
  const placement = { x: rect.x, y: rect.y, width: rect.width, height: rect.height };
  return (
    <Layer name="objects" listening={false} imageSmoothingEnabled={false}>
      <KonvaImage image={outlines} {...placement} opacity={props.opacity} />
      {fill && <KonvaImage image={fill} {...placement} />}
      {selected && (
        <Rect
          name="object-highlight"
          objectLabel={selected.label}
          x={rect.x + selected.bbox[1] * sx}
          y={rect.y + selected.bbox[0] * sy}
          width={(selected.bbox[3] - selected.bbox[1]) * sx}
          height={(selected.bbox[2] - selected.bbox[0]) * sy}
          stroke="#00e5ff"
          strokeWidth={2}
          strokeScaleEnabled={false}
          dash={[6, 3]}
        />
      )}
    </Layer>
  );
}
