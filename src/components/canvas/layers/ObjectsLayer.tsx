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
 * Object outlines from the label map as one image (never a node per object, so 100 000 objects
 * draw like 10), coloured by a descriptor, and the selected object filled and boxed. The label
 * map may be smaller than the image: it is stretched over `rect`.
 */
export function ObjectsLayer(props: { objects: ObjectsOverlay; rect: GridRect; opacity: number }) {
  const { labelMap, colorOf, colorKey, selected } = props.objects;
  const outlines = useMemo(
    () => rgbaToCanvas(outlineRgba(labelMap, colorOf), labelMap.width, labelMap.height),
    // colorKey names what colorOf depends on.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [labelMap, colorKey],
  );
  const fill = useMemo(() => {
    if (!selected) return null;
    const [r0, c0, r1, c1] = selected.bbox;
    if (r1 <= r0 || c1 <= c0) return null;
    return rgbaToCanvas(
      objectFillRgba(labelMap, selected.label, selected.bbox, [255, 255, 255, 150]),
      c1 - c0,
      r1 - r0,
    );
  }, [labelMap, selected]);
  const { rect } = props;
  const sx = rect.width / labelMap.width;
  const sy = rect.height / labelMap.height;
  return (
    <Layer name="objects" listening={false} imageSmoothingEnabled={false}>
      <KonvaImage
        image={outlines}
        x={rect.x}
        y={rect.y}
        width={rect.width}
        height={rect.height}
        opacity={props.opacity}
      />
      {/* The selected object's fill covers its box only. */}
      {fill && selected && (
        <KonvaImage
          image={fill}
          x={rect.x + selected.bbox[1] * sx}
          y={rect.y + selected.bbox[0] * sy}
          width={fill.width * sx}
          height={fill.height * sy}
        />
      )}
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
