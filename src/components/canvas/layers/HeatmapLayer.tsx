"use client";

import { useMemo } from "react";
import type { ColormapName } from "~/server/ccc/colormaps";
import type { GridRect } from "~/server/ccc/mask-agreement";
import type { GreyImage } from "~/server/ccc/raster";
import { colorizeToCanvas } from "../colorize-canvas";
import { RasterLayer } from "./RasterLayer";

/** The class activation map (0..255 for 0..1) in a colour map (jet by default, as the reference). */
export function HeatmapLayer(props: {
  cam: GreyImage;
  rect: GridRect;
  colormap: ColormapName;
  opacity: number;
}) {
  const canvas = useMemo(() => colorizeToCanvas(props.cam, props.colormap), [props.cam, props.colormap]);
  return <RasterLayer name="cam" canvas={canvas} rect={props.rect} opacity={props.opacity} smooth />;
}
