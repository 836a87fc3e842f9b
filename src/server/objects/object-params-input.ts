import { z } from "zod";
import type { ObjectSegmentationParams } from "~/core/objects/segment-objects";

/**
 * Object segmentation parameters as given at the API boundary (objects.run, a dataset run's
 * `objects`): any subset of ObjectSegmentationParams. Checked by the service with the core's
 * schema (resolveObjectParams), so a bad value is refused with BAD_REQUEST and a message naming
 * every problem ("h: h must be a finite number > 0 ...").
 */
export const objectParamsInputSchema = z.custom<Partial<ObjectSegmentationParams>>(
  (value) => typeof value === "object" && value !== null && !Array.isArray(value),
  "params must be an object",
);
