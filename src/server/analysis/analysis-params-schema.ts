/**
 * zod schemas of the analysis parameters at the boundaries (tRPC input, job payloads), kept in
 * step with AnalysisParams of run-analysis.ts: `satisfies` fails the build if they drift apart.
 */
import { z } from "zod";
import { KMEANS_MAX_K, KMEANS_METHODS, KMEANS_MIN_K } from "~/core/analysis";
import { ANALYSIS_PARAMS_VERSION, type AnalysisParams, type AnalysisParamsInput } from "./run-analysis";

const k = z.number().int().min(KMEANS_MIN_K).max(KMEANS_MAX_K);

/** What a user may choose; the rest takes runAnalysis' defaults. */
export const analysisParamsInputSchema = z.object({
  width: z.number().int().min(16).max(4096).optional(),
  glcmWindow: z.number().int().min(3).max(15).optional(),
  ks: z
    .array(k)
    .min(1)
    .max(KMEANS_MAX_K - KMEANS_MIN_K + 1)
    .optional(),
  kmeansMethod: z.enum(KMEANS_METHODS).optional(),
  seed: z.number().int().optional(),
}) satisfies z.ZodType<AnalysisParamsInput>;

/** Fully resolved parameters, as stored in job payloads and with results. */
export const analysisParamsSchema = z.object({
  version: z.literal(ANALYSIS_PARAMS_VERSION),
  width: z.number().int().min(16).max(4096),
  glcmWindow: z.number().int().min(3).max(15),
  ks: z.array(k).min(1),
  kmeansMethod: z.enum(KMEANS_METHODS),
  seed: z.number().int(),
}) satisfies z.ZodType<AnalysisParams>;

/**
 * Which class the CAM explains: the predicted one, or a class index of the classifier's head.
 * Part of the stored classifier parameters (analysis-record.ts), so each choice is its own result.
 */
export const camClassSchema = z.union([z.literal("predicted"), z.number().int().min(0).max(255)]);
export type CamClass = z.infer<typeof camClassSchema>;
