"use client";

import { useMemo } from "react";
import type { ColormapName } from "~/core/analysis/colormaps";
import type { GridRect } from "~/core/analysis/mask-agreement";
import type { GreyImage } from "~/core/analysis/raster";
import { colorizeToCanvas } from "../colorize-canvas";
import { RasterLayer } from "./RasterLayer";

/** The class activation map (0..255 for 0..1) in a colour map (jet by default, as the reference). */
export function HeatmapLayer(props: { cam: GreyImage; rect: GridRect; colormap: ColormapName; opacity: number }) {
  const canvas = useMemo(() => colorizeToCanvas(props.cam, props.colormap), [props.cam, props.colormap]);
  return <RasterLayer name="cam" canvas={canvas} rect={props.rect} opacity={props.opacity} smooth />;
}
