/**
 * Parameters of SAM 2's automatic mask generator that the product exposes, with the seed app's
 * values (= SAM2AutomaticMaskGenerator's defaults) as defaults. The rest of SAM 2's options are
 * fixed: crop_n_layers 0 (one crop, the whole image), multimask output (every mask the decoder
 * returns is a candidate), use_m2m false, min_mask_region_area 0.
 */
import { z } from "zod";

export const sam2AmgParamsSchema = z
  .object({
    /** Points along each side of the prompt grid (points_per_side). @default 32 */
    pointsPerSide: z.number().int().min(1).max(256).default(32),
    /** Prompts per decoder call (points_per_batch). @default 64 */
    pointsPerBatch: z.number().int().min(1).max(4096).default(64),
    /** Keep masks whose predicted IoU is above this (pred_iou_thresh; 0 turns the filter off). @default 0.8 */
    predIouThresh: z.number().min(0).max(1).default(0.8),
    /** Keep masks whose stability score is at least this (stability_score_thresh; 0: off). @default 0.95 */
    stabilityScoreThresh: z.number().min(0).max(1).default(0.95),
    /** Logit shift of the stability score's two cuts (stability_score_offset). @default 1 */
    stabilityScoreOffset: z.number().min(0).max(32).default(1),
    /** Logit above which a pixel belongs to the mask (mask_threshold). @default 0 */
    maskThreshold: z.number().min(-32).max(32).default(0),
    /** Box IoU above which the lower-scoring mask is dropped (box_nms_thresh). @default 0.7 */
    boxNmsThresh: z.number().min(0).max(1).default(0.7),
  })
  .strict();

export type Sam2AmgParams = z.output<typeof sam2AmgParamsSchema>;
export type Sam2AmgParamsInput = z.input<typeof sam2AmgParamsSchema>;

export const SAM2_AMG_DEFAULTS: Sam2AmgParams = sam2AmgParamsSchema.parse({});
