/**
 * A project's analysis settings: what the project reports. Dataset runs and exports use one saved
 * version of them (never whatever someone last viewed), and every reported row names its version.
 * Exploring other values in the workspace is a preview until someone saves them as a new version.
 *
 * Shared by the server (validation, runs, exports) and the UI (settings form, "differs from the
 * project's settings"). Persisted: add fields with defaults, never change a field's meaning
 * without a new `schemaVersion`.
 */
import { z } from "zod";
import { KMEANS_MAX_K, KMEANS_METHODS, KMEANS_MIN_K } from "../analysis/kmeans-grey";
import { DEFAULT_OBJECT_PARAMS, objectSegmentationParamsSchema } from "../objects/segment-objects";
import type { UncertaintySettings } from "../analysis/uncertainty";
import { idSchema } from "../schemas";

export const ANALYSIS_SETTINGS_SCHEMA_VERSION = 1 as const;

/** Which classifier the project reports with. */
export const settingsModelSchema = z.discriminatedUnion(
  "kind",
  [
    /** The server's configured model (INFERENCE_MODEL or the shipped one). */
    z.object({ kind: z.literal("default") }).strict(),
    /** No classification. */
    z.object({ kind: z.literal("none") }).strict(),
    /** A model version retrained in (or shared with) this project. */
    z.object({ kind: z.literal("version"), modelVersionId: idSchema }).strict(),
  ],
  { error: 'model.kind must be "default", "none" or "version"' },
);
export type SettingsModel = z.infer<typeof settingsModelSchema>;

/** When a prediction is reported as "uncertain" instead of a class (core/analysis/uncertainty.ts). */
export const uncertaintySettingsSchema = z
  .object({
    /** Below this calibrated probability of the predicted class: "uncertain" (low confidence). */
    minConfidence: z.number().min(0, "minConfidence must be at least 0").max(1, "minConfidence must be at most 1"),
    /** Above this OOD score: "uncertain" (unlike the training images); null: the model's own threshold. */
    maxOodScore: z.number().positive("maxOodScore must be positive").nullable(),
  })
  .strict();

export const DEFAULT_UNCERTAINTY_SETTINGS: Readonly<UncertaintySettings> = Object.freeze({
  minConfidence: 0.7,
  maxOodScore: null,
});

/**
 * What the classifier sees: "tiles", the analysed area (the data bar left out under
 * "exclude-data-bar") of the image resized to the model's scale, by 256 x 256 tiles whose logits
 * are averaged with each tile's area as weight (core/analysis/tiles.ts says why); "centre-crop",
 * only the 256 x 256 centre crop of the resized image, as the reference (kept for comparison with
 * the paper). New settings classify the whole image; settings saved without the field (before the
 * option) keep the centre crop they were run with.
 */
export const CLASSIFICATION_MODES = ["centre-crop", "tiles"] as const;
export type ClassificationMode = (typeof CLASSIFICATION_MODES)[number];

const kSchema = z
  .number({ error: "K must be a number" })
  .int("K must be an integer")
  .min(KMEANS_MIN_K, `K must be at least ${KMEANS_MIN_K}`)
  .max(KMEANS_MAX_K, `K must be at most ${KMEANS_MAX_K}`);

export const analysisSettingsSchema = z
  .object({
    schemaVersion: z.literal(ANALYSIS_SETTINGS_SCHEMA_VERSION),
    model: settingsModelSchema,
    /** Width of the analysis image, px (the reference: 512). */
    width: z.number().int().min(16, "width must be at least 16 px").max(4096, "width must be at most 4096 px"),
    /** GLCM window side, px (odd; the reference: 5). */
    glcmWindow: z
      .number()
      .int()
      .min(3)
      .max(15)
      .refine((v) => v % 2 === 1, "glcmWindow must be odd"),
    /** The K values clustered. */
    ks: z
      .array(kSchema)
      .min(1, "at least one K is needed")
      .max(KMEANS_MAX_K - KMEANS_MIN_K + 1)
      .refine((ks) => new Set(ks).size === ks.length, "each K once"),
    kmeansMethod: z.enum(KMEANS_METHODS),
    /**
     * The cluster whose area fraction the project reports (clusters are ordered by mean grey,
     * 0 = darkest), for the given K; null: report every cluster's share only.
     */
    targetCluster: z
      .object({ k: kSchema, cluster: z.number().int().min(0) })
      .strict()
      .nullable(),
    /** Whether measurements exclude the instrument's data bar (the image's analysed area). */
    analysedArea: z.enum(["exclude-data-bar", "whole-image"]),
    /** Object segmentation with these parameters, or null: no objects. */
    objects: objectSegmentationParamsSchema.nullable(),
    /** Added after version 1 was persisted: settings saved without it get the defaults. */
    uncertainty: uncertaintySettingsSchema.default({ ...DEFAULT_UNCERTAINTY_SETTINGS }),
    /**
     * Added after version 1 was persisted: settings saved without it classify the centre crop
     * (what they meant when saved), whatever the default for new settings is.
     */
    classification: z.enum(CLASSIFICATION_MODES).default("centre-crop"),
  })
  .strict()
  .refine((s) => s.targetCluster === null || s.ks.includes(s.targetCluster.k), {
    message: "the target cluster's K must be one of the K values",
    path: ["targetCluster", "k"],
  })
  .refine((s) => s.targetCluster === null || s.targetCluster.cluster < s.targetCluster.k, {
    message: "the target cluster must be below its K (0 = darkest)",
    path: ["targetCluster", "cluster"],
  });
export type AnalysisSettings = z.infer<typeof analysisSettingsSchema>;

/**
 * Version 0: what a project reports before anyone saves settings (the reference's analysis, except
 * that the classifier sees the whole analysed area by tiles, not only the centre crop).
 */
export const DEFAULT_ANALYSIS_SETTINGS: Readonly<AnalysisSettings> = Object.freeze({
  schemaVersion: ANALYSIS_SETTINGS_SCHEMA_VERSION,
  model: { kind: "default" as const },
  width: 512,
  glcmWindow: 5,
  ks: [3],
  kmeansMethod: "exact" as const,
  targetCluster: null,
  analysedArea: "exclude-data-bar" as const,
  objects: { ...DEFAULT_OBJECT_PARAMS },
  uncertainty: { ...DEFAULT_UNCERTAINTY_SETTINGS },
  classification: "tiles" as const,
});

/**
 * Validates settings, listing every problem in one message ("ks: each K once; width: ...").
 * Throws RangeError.
 */
export function parseAnalysisSettings(value: unknown): AnalysisSettings {
  const parsed = analysisSettingsSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => (i.path.length > 0 ? `${i.path.join(".")}: ` : "") + i.message);
  throw new RangeError(`invalid analysis settings: ${problems.join("; ")}`);
}

/** The names of the top-level settings where `a` and `b` differ (for "differs from the project's settings"). */
export function settingsDifferences(a: AnalysisSettings, b: AnalysisSettings): (keyof AnalysisSettings)[] {
  const keys = Object.keys(DEFAULT_ANALYSIS_SETTINGS) as (keyof AnalysisSettings)[];
  return keys.filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]));
}
