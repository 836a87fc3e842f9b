"use client";

import { useEffect, useEffectEvent, useState } from "react";
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
  const [loaded, setLoaded] = useState<{ id: string; maps: LoadedMaps } | null>(null);
  // Refetches return new objects for the same analysis: key the loading on its id.
  const latestAnalysis = useEffectEvent(() => analysis);
  const id = analysis?.id ?? null;
  useEffect(() => {
    const analysis = latestAnalysis();
    if (!analysis) return;
    let cancelled = false;
    Promise.all(analysis.maps.map(async (map) => ({ map, image: await loadGreyMap(map.url) })))
      .then((loaded) => {
        if (cancelled) return;
        const byRole = (role: string) => loaded.find((entry) => entry.map.role === role)?.image ?? null;
        const clusters = new Map<number, GreyImage>();
        for (const entry of loaded) {
          if (entry.map.role === "clusters" && entry.map.k !== null) clusters.set(entry.map.k, entry.image);
        }
        setLoaded({
          id: analysis.id,
          maps: {
            grey: byRole("grey"),
            segmentation: byRole("segmentation"),
            contrast: byRole("contrast"),
            cam: byRole("cam"),
            clusters,
            error: null,
            loading: false,
          },
        });
      })
      .catch((error: unknown) => {
        if (!cancelled)
          setLoaded({
            id: analysis.id,
            maps: { ...EMPTY, error: error instanceof Error ? error.message : "Could not load the maps" },
          });
      });
    return () => {
      cancelled = true;
    };
  }, [id]);
  if (id === null) return EMPTY;
  if (loaded?.id === id) return loaded.maps;
  // Still loading this analysis: keep showing the previous one's maps meanwhile.
  return { ...(loaded?.maps ?? EMPTY), error: null, loading: true };
}
