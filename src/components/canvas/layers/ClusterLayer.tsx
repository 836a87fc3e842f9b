"use client";

import { useMemo } from "react";
import type { GridRect } from "~/core/analysis/mask-agreement";
import type { GreyImage } from "~/core/analysis/raster";
import { colorizeToCanvas, labelsToIndex } from "../colorize-canvas";
import { RasterLayer } from "./RasterLayer";

/** The k-means label map in viridis, labels spread over the map as the reference's imshow. */
export function ClusterLayer(props: { labels: GreyImage; k: number; rect: GridRect; opacity: number }) {
  const canvas = useMemo(
    () => colorizeToCanvas(labelsToIndex(props.labels, props.k), "viridis"),
    [props.labels, props.k],
  );
  return <RasterLayer name="clusters" canvas={canvas} rect={props.rect} opacity={props.opacity} />;
}
