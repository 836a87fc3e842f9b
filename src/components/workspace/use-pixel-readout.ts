"use client";

import { useCallback, useEffect, useMemo, useRef } from "react";
import type { Vec } from "~/components/canvas/camera";
import { createPixelReader, type ImagePyramid } from "~/components/canvas/image-pyramid";
import { sampleMap } from "~/components/canvas/map-pixels";
import type { GridRect } from "~/core/analysis/mask-agreement";
import type { GreyImage } from "~/core/analysis/raster";
import { HoverStore } from "./hover-store";
import type { Clustering } from "./use-clustering";

type Sources = {
  pyramid: ImagePyramid | null;
  cam: GreyImage | null;
  camRect: GridRect;
  clustering: Clustering | null;
  fullRect: GridRect;
};

/**
 * What is under the pointer (grey value, CAM value, cluster), kept in a store outside React state
 * so pointer moves re-render only the readout. `onHover` stays the same function for the page.
 */
export function usePixelReadout(image: { width: number; height: number }, sources: Sources) {
  const hover = useMemo(() => new HoverStore(), []);
  const readPixel = useMemo(() => (sources.pyramid ? createPixelReader(sources.pyramid) : null), [sources.pyramid]);
  const { cam, camRect, clustering, fullRect } = sources;
  const latest = useRef({ cam, camRect, clustering, fullRect, readPixel });
  useEffect(() => {
    latest.current = { cam, camRect, clustering, fullRect, readPixel };
  }, [cam, camRect, clustering, fullRect, readPixel]);
  const onHover = useCallback(
    (point: Vec | null) => {
      if (!point || point.x < 0 || point.y < 0 || point.x >= image.width || point.y >= image.height) {
        hover.set(null);
        return;
      }
      const current = latest.current;
      const camValue = current.cam ? sampleMap(current.cam, current.camRect, point.x, point.y) : null;
      hover.set({
        x: Math.floor(point.x),
        y: Math.floor(point.y),
        grey: current.readPixel ? current.readPixel(point.x, point.y) : null,
        cam: camValue === null ? null : camValue / 255,
        cluster: current.clustering ? sampleMap(current.clustering.labels, current.fullRect, point.x, point.y) : null,
      });
    },
    [hover, image.width, image.height],
  );
  return { hover, onHover };
}
