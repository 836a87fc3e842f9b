import type { ColormapName } from "~/core/analysis/colormaps";

/** The overlays of the image view, bottom to top. Names are used in test ids and the URL-free state. */
export const OVERLAY_IDS = [
  "cam",
  "clusters",
  "segmentation",
  "texture",
  "target",
  "excluded",
  "camCrop",
  "objects",
  "annotations",
] as const;
export type OverlayId = (typeof OVERLAY_IDS)[number];

export const OVERLAY_LABELS: Record<OverlayId, string> = {
  cam: "Class activation (CAM)",
  clusters: "k-means clusters",
  segmentation: "Otsu segmentation",
  texture: "Texture (GLCM contrast)",
  target: "Target cluster",
  excluded: "Left out of measurements (hatched)",
  camCrop: "CAM crop (dashed outline)",
  objects: "Objects (outlines)",
  annotations: "Annotations",
};

export type OverlaySetting = { visible: boolean; opacity: number };
export type LayerSettings = Record<OverlayId, OverlaySetting> & { camColormap: ColormapName };

/** The reference shows the CAM at 50 % over the grey image. */
export const DEFAULT_LAYER_SETTINGS: LayerSettings = {
  cam: { visible: true, opacity: 0.5 },
  clusters: { visible: false, opacity: 0.6 },
  segmentation: { visible: false, opacity: 0.5 },
  texture: { visible: false, opacity: 0.6 },
  target: { visible: true, opacity: 0.7 },
  excluded: { visible: true, opacity: 1 },
  camCrop: { visible: false, opacity: 1 },
  objects: { visible: true, opacity: 1 },
  annotations: { visible: true, opacity: 1 },
  camColormap: "jet",
};

/** Overlays that can get a pane of their own in compare mode. */
export const COMPARABLE: OverlayId[] = ["cam", "clusters", "segmentation", "texture", "target"];
