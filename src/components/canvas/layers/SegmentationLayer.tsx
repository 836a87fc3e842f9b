"use client";

import { useMemo } from "react";
import type { GridRect } from "~/core/analysis/mask-agreement";
import type { GreyImage } from "~/core/analysis/raster";
import { colorizeToCanvas } from "../colorize-canvas";
import { RasterLayer } from "./RasterLayer";

/** The Otsu foreground (255) in viridis' yellow end; background transparent. */
export function SegmentationLayer(props: { mask: GreyImage; rect: GridRect; opacity: number }) {
  const canvas = useMemo(() => colorizeToCanvas(props.mask, "viridis", { transparentZero: true }), [props.mask]);
  return <RasterLayer name="segmentation" canvas={canvas} rect={props.rect} opacity={props.opacity} />;
}
