import "server-only";
import { configuredModel } from "~/server/analysis/classify-raster";
import { resolveAnalysisParams, type AnalysisParams, type AnalysisParamsInput } from "~/server/analysis/run-analysis";
import { AppError } from "~/server/errors";

/**
 * The parameters and model a new analysis run pins in its payload, so that every item, retry
 * and worker uses the same ones. Bad parameters are the caller's mistake (BAD_INPUT).
 */
export function resolveRunParams(options: { params?: AnalysisParamsInput; model?: string | null }): {
  params: AnalysisParams;
  model: string | null;
} {
  try {
    return {
      params: resolveAnalysisParams(options.params),
      model: options.model === undefined ? configuredModel() : options.model,
    };
  } catch (error) {
    if (error instanceof RangeError) throw new AppError("BAD_INPUT", error.message);
    throw error;
  }
}
