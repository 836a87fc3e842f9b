/**
 * The stored maps of an analysis as a flat list with URL-safe names ("grey", "segmentation",
 * "contrast", "clusters-3", "cam"), read from Analysis.mapKeys through the schema that writes it
 * (analysis-record.ts). The overlay route and the DTO both resolve names here, so they agree.
 */
import { analysisMapKeysSchema, type CamFrame, type MapRef } from "./analysis-record";

export const MAP_ROLES = ["grey", "segmentation", "contrast", "clusters", "cam"] as const;
export type MapRole = (typeof MAP_ROLES)[number];

export type NamedMap = {
  name: string;
  role: MapRole;
  ref: MapRef;
  /** Cluster maps: their K. */
  k: number | null;
  /** CAM: the class it explains. */
  camClass: { index: number; name: string } | null;
  /** CAM: where it lies over the image, as recorded (null: not recorded, the centre crop; cam-frame.ts). */
  camFrame: CamFrame | null;
};

/** Every map of a stored `mapKeys` value; [] when the value is not in the current format. */
export function listAnalysisMaps(mapKeys: unknown): NamedMap[] {
  const parsed = analysisMapKeysSchema.safeParse(mapKeys);
  if (!parsed.success) return [];
  const keys = parsed.data;
  const maps: NamedMap[] = [
    { name: "grey", role: "grey", ref: keys.grey, k: null, camClass: null, camFrame: null },
    { name: "segmentation", role: "segmentation", ref: keys.segmentation, k: null, camClass: null, camFrame: null },
    { name: "contrast", role: "contrast", ref: keys.contrast, k: null, camClass: null, camFrame: null },
  ];
  const clusterKs = Object.keys(keys.clusters)
    .map(Number)
    .sort((a, b) => a - b);
  for (const k of clusterKs) {
    maps.push({
      name: `clusters-${k}`,
      role: "clusters",
      ref: keys.clusters[String(k)]!,
      k,
      camClass: null,
      camFrame: null,
    });
  }
  if (keys.cam) {
    maps.push({
      name: "cam",
      role: "cam",
      ref: keys.cam,
      k: null,
      camClass: { index: keys.cam.classIndex, name: keys.cam.className },
      camFrame: keys.cam.frame ?? null,
    });
  }
  return maps;
}

export function findAnalysisMap(mapKeys: unknown, name: string): NamedMap | null {
  return listAnalysisMaps(mapKeys).find((map) => map.name === name) ?? null;
}
