/**
 * The CPU-heavy part of an object set, run in a heavy-work thread (task "objects.compute",
 * src/server/workers/heavy-tasks.ts): decode the image (limits checked from the header first),
 * make the grey image exactly as the analysis does (toAnalysisImage: 16-bit high byte, OpenCV's
 * grey weights, INTER_AREA resampling) but at full resolution, its long side capped at `maxSide`,
 * segment (segmentObjects), measure (measureObjects, in pixels), and encode the label map
 * (object-set-labels.ts). The caller (run-object-set.ts) stores the blobs and writes the row.
 *
 * With an analysed area (px of the image, e.g. everything above an instrument data bar), only
 * that part of the grey image is segmented and measured: coverage, density, the index of
 * dispersion and box counting are over the area alone. The label map stays the size of the whole
 * grey image, with zeros outside the area, and object coordinates (centroid, bbox) are in its
 * pixels, so the label route and the canvas overlay need not know about the area.
 */
import { cropGreyImage, scaleAnalysedArea, uncropPlane, type AnalysedArea } from "~/core/analysed-area/analysed-area";
import { toAnalysisImage } from "~/core/analysis/analysis-image";
import { MAX_MEASURED_OBJECTS, measureObjects, type ObjectMeasurement } from "~/core/objects/measure-objects";
import type { ObjectSegmentationParams } from "~/core/objects/segment-objects";
import { regionPropsInParallel, segmentObjectsInParallel } from "./parallel-segmentation";
import type { Raster } from "~/core/analysis/raster";
import { createStepTimer } from "~/core/timings";
import { decodeTaskImage } from "~/server/analysis/decode-task-image";
import { ImageAnalysisError } from "~/server/analysis/image-analysis-error";
import type { DecodeLimits } from "~/server/workers/heavy-tasks";
import { encodeLabelMapPng } from "./object-set-labels";

export type ObjectSetComputation = {
  /** The label map as an RGBA PNG (object-set-labels.ts). */
  labelPng: ArrayBuffer;
  /** The size of the label map (= of the grey image the objects were measured on). */
  width: number;
  height: number;
  /** The decoded image's size. */
  sourceWidth: number;
  sourceHeight: number;
  params: ObjectSegmentationParams;
  count: number;
  threshold: number;
  polarity: "bright" | "dark";
  /** Per-object records, px, by increasing label. */
  objects: ObjectMeasurement[];
  /** ImageStats plus boxCounting and indexOfDispersion, px. */
  imageStats: Record<string, unknown>;
  timingsMs: Record<string, number>;
};

/** Grey-image width for a `width x height` image whose long side must not exceed `maxSide`. */
export function cappedWidth(width: number, height: number, maxSide: number): number {
  if (Math.max(width, height) <= maxSide) return width;
  return width >= height ? maxSide : Math.max(1, Math.round((width * maxSide) / height));
}

export async function computeObjectSet(
  bytes: Buffer,
  input: {
    limits: DecodeLimits;
    params: ObjectSegmentationParams;
    maxSide: number;
    /** Px of the image; null or absent = the whole image. */
    analysedArea?: AnalysedArea | null;
  },
): Promise<{ output: ObjectSetComputation; transfer: ArrayBuffer[] }> {
  const { timingsMs, lap } = createStepTimer();
  let raster: Raster | undefined = await decodeTaskImage(bytes, input.limits);
  lap("decode");
  const sourceWidth = raster.width;
  const sourceHeight = raster.height;
  try {
    const grey = toAnalysisImage(raster, { width: cappedWidth(sourceWidth, sourceHeight, input.maxSide) });
    raster = undefined;
    lap("grey");
    const area = input.analysedArea
      ? scaleAnalysedArea(input.analysedArea, { width: sourceWidth, height: sourceHeight }, grey)
      : null;
    const analysed = area ? cropGreyImage(grey, area) : grey;
    const segmentation = await segmentObjectsInParallel(analysed, input.params);
    lap("segment");
    // Descriptors on both threads too; past the object limit measureObjects refuses before any work.
    const props =
      segmentation.count <= MAX_MEASURED_OBJECTS
        ? await regionPropsInParallel(segmentation.labels, analysed.width, analysed.height)
        : undefined;
    const measured = measureObjects(segmentation.labels, analysed, { props });
    if (area) for (const object of measured.objects) offsetObject(object, area);
    lap("measure");
    const labels = area ? uncropPlane(segmentation.labels, area, grey.width, grey.height) : segmentation.labels;
    const png = await encodeLabelMapPng(labels, grey.width, grey.height);
    lap("encode");
    return {
      output: {
        labelPng: png,
        width: grey.width,
        height: grey.height,
        sourceWidth,
        sourceHeight,
        params: segmentation.params,
        count: measured.count,
        threshold: segmentation.threshold,
        polarity: segmentation.polarity,
        objects: measured.objects,
        imageStats: {
          ...measured.stats,
          boxCounting: measured.boxCounting,
          indexOfDispersion: measured.indexOfDispersion,
          ...(area && { analysedArea: area }),
        },
        timingsMs,
      },
      transfer: [png],
    };
  } catch (error) {
    if (error instanceof RangeError || error instanceof TypeError) {
      throw new ImageAnalysisError(`cannot segment the objects: ${error.message}`, "bad-dimensions", {
        cause: error,
      });
    }
    throw error;
  }
}

/** Centroid and bbox of an object measured in the analysed area, moved to label-map pixels. */
function offsetObject(object: ObjectMeasurement, area: AnalysedArea): void {
  object.centroid = [object.centroid[0] + area.y, object.centroid[1] + area.x];
  const [minRow, minCol, maxRow, maxCol] = object.bbox;
  object.bbox = [minRow + area.y, minCol + area.x, maxRow + area.y, maxCol + area.x];
}
