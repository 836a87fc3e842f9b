import "server-only";
import { resolveObjectParams, type ObjectSegmentationParams } from "~/core/objects/segment-objects";
import { configuredModel } from "~/server/analysis/classify-raster";
import { resolveAnalysisParams, type AnalysisParams, type AnalysisParamsInput } from "~/server/analysis/run-analysis";
import { AppError } from "~/server/errors";

/**
 * The parameters and model a new analysis run pins in its payload, so that every item, retry
 * and worker uses the same ones. Bad parameters are the caller's mistake (BAD_INPUT).
 * `objects`: object segmentation parameters (any subset; the rest takes the defaults), or
 * null / absent for a run that segments no objects.
 */
export function resolveRunParams(options: {
  params?: AnalysisParamsInput;
  model?: string | null;
  objects?: Partial<ObjectSegmentationParams> | null;
}): {
  params: AnalysisParams;
  model: string | null;
  objects: ObjectSegmentationParams | null;
} {
  try {
    return {
      params: resolveAnalysisParams(options.params),
      model: options.model === undefined ? configuredModel() : options.model,
      objects: options.objects == null ? null : resolveObjectParams(options.objects),
    };
  } catch (error) {
    if (error instanceof RangeError) throw new AppError("BAD_INPUT", error.message);
    throw error;
  }
}
