"use client";

import { useMemo } from "react";
import { kmeansGrey } from "~/core/analysis/kmeans-grey";
import type { GreyImage } from "~/core/analysis/raster";

export type Clustering = {
  k: number;
  labels: GreyImage;
  /** Share of the image area per cluster id, percent with 2 decimals (the reference's rounding). */
  areaPercent: number[];
  /** Mean grey value per cluster id (ids are sorted by it: 0 is the darkest). */
  centers: number[];
  /** "stored": the saved analysis' map; "browser": re-clustered here while the save runs. */
  source: "stored" | "browser";
};

/**
 * The clustering for K. With the analysis image at hand, k-means is re-run right here: the exact
 * 1-D dynamic programme on the histogram takes about a millisecond and is the very code the server
 * runs (same ids, same numbers), so changing K feels instant. Otherwise the stored map is used.
 */
export function useClustering(
  grey: GreyImage | null,
  stored: ReadonlyMap<number, GreyImage>,
  k: number,
): Clustering | null {
  return useMemo(() => {
    if (grey) {
      const result = kmeansGrey(grey, k);
      return {
        k: result.k,
        labels: result.labels,
        areaPercent: result.areaPercent,
        centers: result.centers,
        source: "browser" as const,
      };
    }
    const labels = stored.get(k);
    if (!labels) return null;
    const counts = new Array<number>(k).fill(0);
    for (let i = 0; i < labels.data.length; i++) counts[labels.data[i]!] = (counts[labels.data[i]!] ?? 0) + 1;
    const total = labels.data.length;
    return {
      k,
      labels,
      areaPercent: counts.map((count) => Math.round((count / total) * 10000) / 100),
      centers: [],
      source: "stored" as const,
    };
  }, [grey, stored, k]);
}
