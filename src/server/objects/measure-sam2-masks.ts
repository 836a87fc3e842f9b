/**
 * SAM 2's masks as objects of the object model: each mask measured whole with the classical
 * descriptors (regionProps: skimage's definitions), a label map for the canvas and the exports,
 * and the image statistics. Pure: masks in, numbers and a label map out.
 *
 * Masks may overlap (the generator keeps every mask that survives NMS whole). So:
 * - descriptors are of each whole mask (its pixels as the generator returned them), never of the
 *   part another mask leaves visible;
 * - the label map shows, where masks overlap, the one with the higher predicted IoU (the
 *   generator's own score); label = the mask's position in the generator's output + 1;
 * - image statistics: count, density, sizes and neighbour distances from the whole masks, but
 *   coverage is the union's area over the image (a sum of overlapping areas could exceed 1), and
 *   box counting of the union, the index of dispersion of the grey image as for classical sets.
 */
import type { GreyImage } from "~/core/analysis/raster";
import { boxCountingDimension } from "~/core/objects/box-counting";
import { imageStats } from "~/core/objects/image-stats";
import { indexOfDispersion } from "~/core/objects/index-of-dispersion";
import { regionProps, type RegionProps } from "~/core/objects/region-props";
import type { Sam2Mask } from "~/server/inference/sam2/generate-sam2-masks";

/** One SAM 2 object: the descriptors of the whole mask (px of the grid) plus SAM's own numbers. */
export type Sam2ObjectRecord = RegionProps & {
  predicted_iou: number;
  stability_score: number;
  /** The prompting grid point [x, y], px. */
  point: [number, number];
};

export type Sam2MaskMeasurements = {
  labels: Int32Array;
  objects: Sam2ObjectRecord[];
  imageStats: Record<string, unknown>;
};

/** Descriptors of one whole mask, moved from its box to grid coordinates. */
function describeMask(mask: Sam2Mask, label: number): RegionProps {
  const [x0, y0, x1, y1] = mask.box;
  const width = x1 - x0;
  const height = y1 - y0;
  const labels = new Int32Array(width * height);
  for (let i = 0; i < labels.length; i++) labels[i] = mask.pixels[i] ? 1 : 0;
  const [props] = regionProps(labels, width, height);
  if (!props) throw new RangeError(`mask ${label} is empty`);
  return {
    ...props,
    label,
    centroid: [props.centroid[0] + y0, props.centroid[1] + x0],
    bbox: [props.bbox[0] + y0, props.bbox[1] + x0, props.bbox[2] + y0, props.bbox[3] + x0],
  };
}

export function measureSam2Masks(
  masks: readonly Sam2Mask[],
  grey: GreyImage,
  options: { q?: number } = {},
): Sam2MaskMeasurements {
  const { width, height } = grey;
  const labels = new Int32Array(width * height);
  const union = new Uint8Array(width * height);
  let unionArea = 0;
  masks.forEach((mask, index) => {
    const [x0, y0, x1, y1] = mask.box;
    if (x0 < 0 || y0 < 0 || x1 > width || y1 > height || mask.pixels.length !== (x1 - x0) * (y1 - y0)) {
      throw new RangeError(`mask ${index + 1} does not fit the ${width} x ${height} grid`);
    }
  });
  // Painted from the lowest predicted IoU up, so the highest one covers the others; on a tie the
  // earlier mask (the generator's order) is painted last and stays.
  const order = masks.map((_, i) => i).sort((a, b) => masks[a]!.predictedIou - masks[b]!.predictedIou || b - a);
  for (const index of order) {
    const mask = masks[index]!;
    const [x0, y0, x1, y1] = mask.box;
    const boxWidth = x1 - x0;
    for (let y = y0; y < y1; y++) {
      for (let x = x0, j = (y - y0) * boxWidth; x < x1; x++, j++) {
        if (!mask.pixels[j]) continue;
        const i = y * width + x;
        labels[i] = index + 1;
        if (!union[i]) {
          union[i] = 1;
          unionArea++;
        }
      }
    }
  }
  const objects: Sam2ObjectRecord[] = masks.map((mask, index) => ({
    ...describeMask(mask, index + 1),
    predicted_iou: mask.predictedIou,
    stability_score: mask.stabilityScore,
    point: mask.point,
  }));
  const stats = imageStats(
    objects.map((o) => ({ area: o.area, equivalentDiameter: o.equivalent_diameter, centroid: o.centroid })),
    width,
    height,
  );
  const q = options.q ?? 4;
  const dispersion =
    Math.floor(height / q) >= 1 && Math.trunc((width * Math.floor(height / q)) / height) >= 1
      ? indexOfDispersion(grey, { q })
      : null;
  return {
    labels,
    objects,
    imageStats: {
      ...stats,
      coverage: unionArea / (width * height),
      boxCounting: boxCountingDimension(union, width, height),
      indexOfDispersion: dispersion,
    },
  };
}
