"use client";

import { useEffect, useEffectEvent, useState } from "react";
import { loadGreyMap } from "~/components/canvas/map-pixels";
import type { GridRect } from "~/core/analysis/mask-agreement";
import type { GreyImage } from "~/core/analysis/raster";
import type { ClassificationMode } from "~/core/settings/analysis-settings";
import type { RouterOutputs } from "~/trpc/react";

export type WorkspaceAnalysis = RouterOutputs["analysis"]["workspace"]["analyses"][number];

export type LoadedMaps = {
  grey: GreyImage | null;
  segmentation: GreyImage | null;
  contrast: GreyImage | null;
  cam: GreyImage | null;
  /**
   * Where the CAM lies over the image (original px) and whether it is the classifier's centre
   * crop (the dashed outline) or the analysed area covered by tiles; null without a CAM.
   */
  camFrame: { rect: GridRect; centreCrop: boolean } | null;
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
  camFrame: null,
  clusters: new Map(),
  error: null,
  loading: false,
};

/** What the classifier of a stored analysis saw (absent: the centre crop, as before the option). */
export const classificationOf = (analysis: WorkspaceAnalysis): ClassificationMode =>
  analysis.params?.classifier?.classification ?? "centre-crop";

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
        const camMap = analysis.maps.find((map) => map.role === "cam");
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
            camFrame: camMap ? { rect: camMap.rect, centreCrop: classificationOf(analysis) === "centre-crop" } : null,
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
