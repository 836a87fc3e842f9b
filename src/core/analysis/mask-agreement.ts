import { assertGreyImage, type GreyImage } from "./raster";

/**
 * Where the network looks versus what the image analysis finds: the CAM "hot" region (values at
 * or above a threshold) compared with every k-means cluster and with the Otsu segmentation by
 * intersection over union. Pure, on 8-bit maps of the same grid, so the browser can recompute it
 * on every threshold change without a request.
 */

/** A rectangle in some pixel coordinate system (e.g. the original image's). */
export type GridRect = { x: number; y: number; width: number; height: number };

/** Options of {@link camAgreement}. */
export type CamAgreementOptions = {
  /**
   * The hot region is every pixel whose CAM value / 255 is at least this, in [0, 1].
   * @default 0.5
   */
  threshold?: number;
  /**
   * Pixels to compare (non-zero = compared), e.g. where the CAM is defined when it only covers a
   * centre crop. Same size as the maps.
   * @default every pixel
   */
  valid?: Uint8Array;
};

export type ClusterAgreement = {
  clusterId: number;
  /** |hot ∩ cluster| / |hot ∪ cluster|, in [0, 1]. */
  iou: number;
  /** Share of the hot region that lies in this cluster, in [0, 1]. */
  hotShare: number;
};

export type CamAgreement = {
  threshold: number;
  /** Pixels compared, and the hot region's share of them in [0, 1]. */
  comparedPixels: number;
  hotFraction: number;
  /** One entry per cluster id 0..k-1. */
  clusters: ClusterAgreement[];
  /** The cluster with the highest IoU (the one "the network looks at"); null without a hot region. */
  bestClusterId: number | null;
  /** IoU of the hot region with the segmentation's foreground (value > 0); null without one. */
  segmentationIou: number | null;
};

/** 0 / 255 mask of the pixels whose value / 255 is at least `threshold`. */
export function hotMask(cam: GreyImage, threshold: number): Uint8Array {
  assertGreyImage(cam);
  checkThreshold(threshold);
  // v / 255 >= t  <=>  v >= ceil(t * 255) for integer v (guarding float noise such as 0.5 * 255).
  const cut = Math.ceil(threshold * 255 - 1e-9);
  const out = new Uint8Array(cam.data.length);
  for (let i = 0; i < out.length; i++) out[i] = cam.data[i]! >= cut ? 255 : 0;
  return out;
}

/**
 * Intersection over union of two masks (non-zero = inside). Two empty masks give 0: there is no
 * overlap to speak of, and a NaN would poison sorting and display.
 */
export function maskIou(a: Uint8Array, b: Uint8Array, valid?: Uint8Array): number {
  if (a.length !== b.length) throw new RangeError(`masks differ in size: ${a.length} and ${b.length}`);
  if (valid && valid.length !== a.length) throw new RangeError("the valid mask differs in size from the masks");
  let intersection = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    if (valid && valid[i] === 0) continue;
    const inA = a[i] !== 0;
    const inB = b[i] !== 0;
    if (inA && inB) intersection++;
    if (inA || inB) union++;
  }
  return union === 0 ? 0 : intersection / union;
}

/**
 * IoU of the CAM hot region with each cluster of `labels` (ids 0..k-1) and with `segmentation`,
 * in one pass over the pixels. All maps must share one grid: see {@link sampleOnGrid}.
 */
export function camAgreement(
  cam: GreyImage,
  labels: GreyImage,
  k: number,
  segmentation: GreyImage | null,
  options: CamAgreementOptions = {},
): CamAgreement {
  assertGreyImage(cam);
  assertGreyImage(labels);
  if (!Number.isInteger(k) || k < 1 || k > 256) throw new RangeError(`k must be an integer from 1 to 256, got ${k}`);
  const n = cam.data.length;
  if (labels.width !== cam.width || labels.height !== cam.height) {
    throw new RangeError(`the label map is ${labels.width} x ${labels.height}, the CAM ${cam.width} x ${cam.height}`);
  }
  if (segmentation) {
    assertGreyImage(segmentation);
    if (segmentation.width !== cam.width || segmentation.height !== cam.height) {
      throw new RangeError("the segmentation and the CAM differ in size");
    }
  }
  const valid = options.valid;
  if (valid && valid.length !== n) throw new RangeError("the valid mask differs in size from the maps");
  const threshold = options.threshold ?? 0.5;
  const hot = hotMask(cam, threshold);

  const clusterSize = new Float64Array(k);
  const hotInCluster = new Float64Array(k);
  let compared = 0;
  let hotCount = 0;
  let segSize = 0;
  let hotInSeg = 0;
  for (let i = 0; i < n; i++) {
    if (valid && valid[i] === 0) continue;
    compared++;
    const label = labels.data[i]!;
    if (label >= k) throw new RangeError(`label ${label} at pixel ${i} is not below k = ${k}`);
    const isHot = hot[i] !== 0;
    clusterSize[label] = clusterSize[label]! + 1;
    if (isHot) {
      hotCount++;
      hotInCluster[label] = hotInCluster[label]! + 1;
    }
    if (segmentation && segmentation.data[i] !== 0) {
      segSize++;
      if (isHot) hotInSeg++;
    }
  }
  const iouOf = (inter: number, size: number): number => {
    const union = hotCount + size - inter;
    return union === 0 ? 0 : inter / union;
  };
  const clusters: ClusterAgreement[] = [];
  for (let c = 0; c < k; c++) {
    clusters.push({
      clusterId: c,
      iou: iouOf(hotInCluster[c]!, clusterSize[c]!),
      hotShare: hotCount === 0 ? 0 : hotInCluster[c]! / hotCount,
    });
  }
  let bestClusterId: number | null = null;
  if (hotCount > 0) {
    bestClusterId = 0;
    for (const entry of clusters) if (entry.iou > clusters[bestClusterId]!.iou) bestClusterId = entry.clusterId;
  }
  return {
    threshold,
    comparedPixels: compared,
    hotFraction: compared === 0 ? 0 : hotCount / compared,
    clusters,
    bestClusterId,
    segmentationIou: segmentation ? iouOf(hotInSeg, segSize) : null,
  };
}

/**
 * Resamples a map that covers `source` (in some shared coordinate system, e.g. original image
 * pixels) onto a `width` x `height` grid that covers `target`, by nearest neighbour (maps hold
 * labels, so no interpolation). Grid pixels outside `source` get 0 and are left out of the
 * returned `covered` mask, so callers can pass it as `valid`.
 */
export function sampleOnGrid(
  map: GreyImage,
  source: GridRect,
  target: GridRect,
  width: number,
  height: number,
): { image: GreyImage; covered: Uint8Array } {
  assertGreyImage(map);
  if (!(source.width > 0 && source.height > 0 && target.width > 0 && target.height > 0)) {
    throw new RangeError("source and target rectangles need a positive size");
  }
  const data = new Uint8Array(width * height);
  const covered = new Uint8Array(width * height);
  const columns = new Int32Array(width);
  for (let x = 0; x < width; x++) {
    const at = target.x + ((x + 0.5) * target.width) / width; // centre of the grid pixel
    const mx = Math.floor(((at - source.x) / source.width) * map.width);
    columns[x] = mx >= 0 && mx < map.width ? mx : -1;
  }
  for (let y = 0; y < height; y++) {
    const at = target.y + ((y + 0.5) * target.height) / height;
    const my = Math.floor(((at - source.y) / source.height) * map.height);
    if (my < 0 || my >= map.height) continue;
    const row = my * map.width;
    for (let x = 0; x < width; x++) {
      const mx = columns[x]!;
      if (mx < 0) continue;
      data[y * width + x] = map.data[row + mx]!;
      covered[y * width + x] = 1;
    }
  }
  return { image: { width, height, data }, covered };
}

function checkThreshold(threshold: number): void {
  if (!(threshold >= 0 && threshold <= 1)) throw new RangeError(`threshold must be in [0, 1], got ${threshold}`);
}
