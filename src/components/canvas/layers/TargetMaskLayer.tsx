"use client";

import { useMemo } from "react";
import type { GridRect } from "~/core/analysis/mask-agreement";
import type { GreyImage } from "~/core/analysis/raster";
import { colorizeToCanvas } from "../colorize-canvas";
import { RasterLayer } from "./RasterLayer";

/** The target cluster's mask in the reference's white -> blue map, background transparent. */
export function TargetMaskLayer(props: { labels: GreyImage; clusterId: number; rect: GridRect; opacity: number }) {
  const canvas = useMemo(() => {
    const mask = new Uint8Array(props.labels.data.length);
    for (let i = 0; i < mask.length; i++) mask[i] = props.labels.data[i] === props.clusterId ? 255 : 0;
    return colorizeToCanvas({ width: props.labels.width, height: props.labels.height, data: mask }, "white_blue", {
      transparentZero: true,
    });
  }, [props.labels, props.clusterId]);
  return <RasterLayer name="target" canvas={canvas} rect={props.rect} opacity={props.opacity} />;
}
