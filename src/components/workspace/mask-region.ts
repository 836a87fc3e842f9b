import type { AnnotationEditor } from "~/components/canvas/AnnotationEditor";
import { encodeMaskRuns, REGION_GEOMETRY_VERSION, type MaskGeometry } from "~/core/regions/region-geometry";

/** Adds a mask region of the editor's current class (e.g. a cluster or the segmentation). */
export function addMaskRegion(
  editor: AnnotationEditor,
  mask: Uint8Array,
  width: number,
  height: number,
  source: MaskGeometry["source"],
): void {
  const geometry: MaskGeometry = {
    schemaVersion: REGION_GEOMETRY_VERSION,
    kind: "mask",
    gridWidth: width,
    gridHeight: height,
    runs: encodeMaskRuns(mask),
    source,
  };
  editor.addRegion({ labelClassId: editor.settings.labelClassId, geometry });
}

/** The pixels of one cluster, as a 0/255 mask on the clustering's grid. */
export function clusterMask(labels: { data: ArrayLike<number> }, clusterId: number): Uint8Array {
  const mask = new Uint8Array(labels.data.length);
  for (let i = 0; i < mask.length; i++) mask[i] = labels.data[i] === clusterId ? 255 : 0;
  return mask;
}
