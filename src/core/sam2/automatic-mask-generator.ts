/**
 * SAM 2's automatic mask generator (SAM2AutomaticMaskGenerator.generate in
 * facebookresearch/sam2) for one crop covering the whole image, multimask output, no m2m and no
 * small-region post-processing, with the decoder behind a callback so that the caller decides
 * where the network runs. Step for step:
 *
 * 1. prompts: build_point_grid(pointsPerSide) scaled to the image, in batches of pointsPerBatch,
 *    each point sent to the decoder as one positive point in the 1024 frame;
 * 2. per returned mask (every one of the decoder's masks per point is a candidate, in the order
 *    point by point, mask by mask): predicted IoU > predIouThresh; stability score of the logits
 *    upsampled to the image (bilinear, align_corners False) >= stabilityScoreThresh; the mask is
 *    `upsampled logit > maskThreshold`, its XYXY box, is_box_near_crop_edge, its COCO RLE;
 * 3. box NMS over all candidates of the image with the predicted IoU as score;
 * 4. records in NMS order (descending predicted IoU), with SAM's fields.
 *
 * Memory: a batch's logits are the caller's; only each surviving candidate's RLE is kept, never an
 * upsampled mask (see upsampled-mask.ts for how the per-mask pass avoids building one).
 */
import type { CocoRle } from "~/core/regions/coco-rle";
import { sam2AmgParamsSchema, type Sam2AmgParamsInput } from "./amg-params";
import { createBilinearPlan } from "./bilinear-plan";
import { boxNms } from "./box-nms";
import { boxXyxyToXywh, isBoxNearCropEdge, type BoxXywh } from "./boxes";
import { buildPointGrid, gridToImagePoints, imageToFramePoints } from "./point-grid";
import {
  createUpsampledMaskScratch,
  measureUpsampledMask,
  stabilityScore,
  upsampledMaskRleCounts,
  type BoxXyxy,
  type UpsampledMaskScratch,
} from "./upsampled-mask";

/** One decoder call: `count` prompts of one point each. */
export type Sam2PromptBatch = {
  count: number;
  /** [count, 1, 2]: x, y in the model's 1024 x 1024 frame. */
  pointCoords: Float32Array;
  /** [count, 1]: all 1 (a positive point). */
  pointLabels: Float32Array;
};

/** What the decoder returns for a batch: C masks per prompt (C = iouPredictions.length / count). */
export type Sam2DecoderOutput = {
  /** [count, C, side, side] low-res mask logits (side 256 for SAM 2). */
  masks: Float32Array;
  /** [count, C]. */
  iouPredictions: Float32Array;
};

export type Sam2Decode = (batch: Sam2PromptBatch) => Sam2DecoderOutput | Promise<Sam2DecoderOutput>;

/** One mask as SAM 2 records it (field names in camelCase). */
export type Sam2MaskRecord = {
  /** Uncompressed COCO RLE of the mask at the image size. */
  segmentation: CocoRle;
  /** Mask pixels (area_from_rle). */
  area: number;
  /** [x, y, w, h] with w = x1 - x0 of the inclusive XYXY box (SAM's convention), [0,0,0,0] when empty. */
  bbox: BoxXywh;
  predictedIou: number;
  stabilityScore: number;
  /** The prompt point in image pixels (SAM's point_coords[0], float32 like SAM's records). */
  point: [number, number];
  /** The crop the mask came from, [x, y, w, h]: always the whole image here. */
  cropBox: BoxXywh;
};

/** How many candidates each step removed. */
export type Sam2AmgStats = {
  candidates: number;
  removedByIou: number;
  removedByStability: number;
  removedByEdge: number;
  removedByNms: number;
};

export type Sam2AmgResult = { records: Sam2MaskRecord[]; stats: Sam2AmgStats };

export type Sam2AmgProgress = { pointsDone: number; pointsTotal: number; candidatesKept: number };

export type Sam2AmgOptions = {
  width: number;
  height: number;
  decode: Sam2Decode;
  params?: Sam2AmgParamsInput;
};

type Candidate = {
  counts: number[];
  area: number;
  box: BoxXyxy;
  iou: number;
  stability: number;
  point: [number, number];
};

/**
 * The generator, one step per decoder batch (yielding progress), returning the result: a job can
 * report progress and cancel between batches by stopping iteration.
 */
export async function* generateSam2MasksStepwise(
  options: Sam2AmgOptions,
): AsyncGenerator<Sam2AmgProgress, Sam2AmgResult, void> {
  const { width, height, decode } = options;
  if (!Number.isInteger(width) || width < 1 || !Number.isInteger(height) || height < 1)
    throw new RangeError("image width and height must be positive integers");
  const params = sam2AmgParamsSchema.parse(options.params ?? {});
  const imagePoints = gridToImagePoints(buildPointGrid(params.pointsPerSide), width, height);
  const framePoints = imageToFramePoints(imagePoints, width, height);
  const pointsTotal = imagePoints.length / 2;
  const cropBox: [number, number, number, number] = [0, 0, width, height];
  const iouThreshold = Math.fround(params.predIouThresh);
  const stabilityThreshold = Math.fround(params.stabilityScoreThresh);
  const stats: Sam2AmgStats = {
    candidates: 0,
    removedByIou: 0,
    removedByStability: 0,
    removedByEdge: 0,
    removedByNms: 0,
  };
  const candidates: Candidate[] = [];
  let plan: ReturnType<typeof createBilinearPlan> | null = null;
  let scratch: UpsampledMaskScratch | null = null;
  let planSide = 0;

  for (let first = 0; first < pointsTotal; first += params.pointsPerBatch) {
    const count = Math.min(params.pointsPerBatch, pointsTotal - first);
    const batch: Sam2PromptBatch = {
      count,
      pointCoords: framePoints.slice(2 * first, 2 * (first + count)),
      pointLabels: new Float32Array(count).fill(1),
    };
    const { masks, iouPredictions } = await decode(batch);
    const masksPerPoint = iouPredictions.length / count;
    if (!Number.isInteger(masksPerPoint) || masksPerPoint < 1)
      throw new RangeError(`decoder returned ${iouPredictions.length} IoU predictions for ${count} prompts`);
    const side = Math.sqrt(masks.length / iouPredictions.length);
    if (!Number.isInteger(side) || side < 1)
      throw new RangeError(`decoder masks (${masks.length} values) are not ${iouPredictions.length} square planes`);
    if (plan === null || scratch === null || side !== planSide) {
      plan = createBilinearPlan(side, side, height, width);
      scratch = createUpsampledMaskScratch(plan);
      planSide = side;
    }
    for (let m = 0; m < iouPredictions.length; m++) {
      stats.candidates++;
      const iou = iouPredictions[m]!;
      if (params.predIouThresh > 0 && !(iou > iouThreshold)) {
        stats.removedByIou++;
        continue;
      }
      const offset = m * side * side;
      const measure = measureUpsampledMask(
        masks,
        offset,
        plan,
        params.maskThreshold,
        params.stabilityScoreOffset,
        scratch,
      );
      const stability = stabilityScore(measure.intersections, measure.unions);
      if (params.stabilityScoreThresh > 0 && !(stability >= stabilityThreshold)) {
        stats.removedByStability++;
        continue;
      }
      if (isBoxNearCropEdge(measure.box, cropBox, cropBox)) {
        stats.removedByEdge++;
        continue;
      }
      const p = 2 * (first + Math.floor(m / masksPerPoint));
      candidates.push({
        counts: upsampledMaskRleCounts(masks, offset, plan, params.maskThreshold, scratch),
        area: measure.area,
        box: measure.box,
        iou,
        stability,
        point: [Math.fround(imagePoints[p]!), Math.fround(imagePoints[p + 1]!)],
      });
    }
    yield { pointsDone: first + count, pointsTotal, candidatesKept: candidates.length };
  }

  const boxes = new Float32Array(4 * candidates.length);
  candidates.forEach((c, i) => boxes.set(c.box, 4 * i));
  const keep = boxNms(
    boxes,
    candidates.map((c) => c.iou),
    params.boxNmsThresh,
  );
  stats.removedByNms = candidates.length - keep.length;
  const records = keep.map((i): Sam2MaskRecord => {
    const c = candidates[i]!;
    return {
      segmentation: { counts: c.counts, size: [height, width] },
      area: c.area,
      bbox: boxXyxyToXywh(c.box),
      predictedIou: c.iou,
      stabilityScore: c.stability,
      point: c.point,
      cropBox: boxXyxyToXywh(cropBox),
    };
  });
  return { records, stats };
}

/** The whole generator at once. */
export async function generateSam2Masks(options: Sam2AmgOptions): Promise<Sam2AmgResult> {
  const steps = generateSam2MasksStepwise(options);
  for (;;) {
    const step = await steps.next();
    if (step.done) return step.value;
  }
}
