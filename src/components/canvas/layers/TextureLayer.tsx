"use client";

import { useMemo } from "react";
import type { GridRect } from "~/core/analysis/mask-agreement";
import type { GreyImage } from "~/core/analysis/raster";
import { colorizeToCanvas } from "../colorize-canvas";
import { RasterLayer } from "./RasterLayer";

/** GLCM contrast (stored as a colour-map index) in "hot", as the reference. */
export function TextureLayer(props: { contrast: GreyImage; rect: GridRect; opacity: number }) {
  const canvas = useMemo(() => colorizeToCanvas(props.contrast, "hot"), [props.contrast]);
  return <RasterLayer name="texture" canvas={canvas} rect={props.rect} opacity={props.opacity} />;
}
