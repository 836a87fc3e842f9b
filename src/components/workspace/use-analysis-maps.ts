"use client";

import { useEffect, useRef, useState } from "react";
import { loadGreyMap } from "~/components/canvas/map-pixels";
import type { GreyImage } from "~/core/analysis/raster";
import type { RouterOutputs } from "~/trpc/react";

export type WorkspaceAnalysis = RouterOutputs["analysis"]["workspace"]["analyses"][number];

export type LoadedMaps = {
  grey: GreyImage | null;
  segmentation: GreyImage | null;
  contrast: GreyImage | null;
  cam: GreyImage | null;
  /** Stored cluster label maps by K. */
  clusters: ReadonlyMap<number, GreyImage>;
  error: string | null;
  loading: boolean;
};

const EMPTY: LoadedMaps = {
  grey: null,
  segmentation: null,
  contrast: null,
  cam: null,
  clusters: new Map(),
  error: null,
  loading: false,
};

/** Fetches (once per URL) and decodes the 8-bit maps of an analysis. */
export function useAnalysisMaps(analysis: WorkspaceAnalysis | null): LoadedMaps {
  const [maps, setMaps] = useState<LoadedMaps>(EMPTY);
  // Refetches return new objects for the same analysis: key the loading on its id.
  const current = useRef(analysis);
  current.current = analysis;
  const id = analysis?.id ?? null;
  useEffect(() => {
    const analysis = current.current;
    if (!analysis) {
      setMaps(EMPTY);
      return;
    }
    let cancelled = false;
    setMaps((current) => ({ ...current, loading: true }));
    Promise.all(analysis.maps.map(async (map) => ({ map, image: await loadGreyMap(map.url) })))
      .then((loaded) => {
        if (cancelled) return;
        const byRole = (role: string) => loaded.find((entry) => entry.map.role === role)?.image ?? null;
        const clusters = new Map<number, GreyImage>();
        for (const entry of loaded) {
          if (entry.map.role === "clusters" && entry.map.k !== null) clusters.set(entry.map.k, entry.image);
        }
        setMaps({
          grey: byRole("grey"),
          segmentation: byRole("segmentation"),
          contrast: byRole("contrast"),
          cam: byRole("cam"),
          clusters,
          error: null,
          loading: false,
        });
      })
      .catch((error: unknown) => {
        if (!cancelled)
          setMaps({ ...EMPTY, error: error instanceof Error ? error.message : "Could not load the maps" });
      });
    return () => {
      cancelled = true;
    };
  }, [id]);
  return maps;
}
