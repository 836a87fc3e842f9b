"use client";

import { useCallback, useEffect, useMemo, useRef } from "react";
import type { Vec } from "~/components/canvas/camera";
import { sampleMap } from "~/components/canvas/map-pixels";
import { rawValueAt, type RawSamples } from "~/components/canvas/window-level";
import type { GridRect } from "~/core/analysis/mask-agreement";
import type { GreyImage } from "~/core/analysis/raster";
import { HoverStore } from "./hover-store";
import type { Clustering } from "./use-clustering";

type Sources = {
  /** The image's raw values and the display's current lookup (window-level.ts). */
  samples: RawSamples | null;
  lut: Uint8Array | null;
  cam: GreyImage | null;
  camRect: GridRect;
  clustering: Clustering | null;
  fullRect: GridRect;
};

/**
 * What is under the pointer (raw and display value, CAM value, cluster), kept in a store outside React state
 * so pointer moves re-render only the readout. `onHover` stays the same function for the page.
 */
export function usePixelReadout(image: { width: number; height: number }, sources: Sources) {
  const hover = useMemo(() => new HoverStore(), []);
  const { cam, camRect, clustering, fullRect, samples, lut } = sources;
  const latest = useRef({ cam, camRect, clustering, fullRect, samples, lut });
  useEffect(() => {
    latest.current = { cam, camRect, clustering, fullRect, samples, lut };
  }, [cam, camRect, clustering, fullRect, samples, lut]);
  const onHover = useCallback(
    (point: Vec | null) => {
      if (!point || point.x < 0 || point.y < 0 || point.x >= image.width || point.y >= image.height) {
        hover.set(null);
        return;
      }
      const current = latest.current;
      const camValue = current.cam ? sampleMap(current.cam, current.camRect, point.x, point.y) : null;
      const raw = current.samples
        ? rawValueAt(current.samples, { width: image.width, height: image.height }, point.x, point.y)
        : null;
      const lookup = current.lut;
      hover.set({
        x: Math.floor(point.x),
        y: Math.floor(point.y),
        raw,
        display: raw && lookup ? raw.map((value) => lookup[value]!) : null,
        cam: camValue === null ? null : camValue / 255,
        cluster: current.clustering ? sampleMap(current.clustering.labels, current.fullRect, point.x, point.y) : null,
      });
    },
    [hover, image.width, image.height],
  );
  return { hover, onHover };
}
