/**
 * The persisted shape of an image analysis beyond the plain columns: what `Analysis.params`,
 * `mapKeys`, `clusterStats` and `descriptors` hold. The workspace UI parses these with the same
 * schemas. Names here are persisted: add fields, do not rename them.
 */
import { z } from "zod";
import { serverEnv } from "~/server/env";
import { blobKeySchema } from "~/server/storage/blob-keys";
import { analysisParamsSchema } from "./analysis-params-schema";

/** Bump when anything changes the stored numbers or maps for the same parameters. */
export const ANALYSIS_CODE_VERSION = "analyze-image@1";

/** The code version recorded with results; a build can append its commit (VISUAL_CCC_COMMIT). */
export function analysisCodeVersion(): string {
  const commit = serverEnv().VISUAL_CCC_COMMIT;
  return commit ? `${ANALYSIS_CODE_VERSION}+${commit}` : ANALYSIS_CODE_VERSION;
}

/** The classifier that produced the prediction, or null when classification was skipped. */
export const classifierParamsSchema = z
  .object({
    /**
     * Model name (models/<name>.onnx) or path, as asked for; "version:<id>" for a retrained
     * model version (src/server/models/model-ref.ts).
     */
    model: z.string().min(1),
    /** sha256 of the .onnx file actually run. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    /**
     * The retrained ModelVersion whose head replaced the network's own. Absent for built-in
     * models (their version is identified by sha256, and older results keep their hash).
     */
    modelVersionId: z.string().min(1).optional(),
    /** The class the CAM explains, when not the predicted one (absent: predicted). */
    camClass: z.number().int().nonnegative().optional(),
    /**
     * "tiles" when the whole image was classified by tiles (core/settings/analysis-settings.ts);
     * absent: the centre crop (so older results keep their hash).
     */
    classification: z.literal("tiles").optional(),
    /**
     * The tiles mode: the analysed area the tiles covered (original px), when one left part of the
     * image out (a data bar); absent: the whole image. Part of the hash: a new area is a new result.
     */
    analysedArea: z
      .object({
        x: z.number().int().nonnegative(),
        y: z.number().int().nonnegative(),
        width: z.number().int().positive(),
        height: z.number().int().positive(),
      })
      .strict()
      .optional(),
  })
  .nullable();

/**
 * Analysis.params: the analysis parameters plus the classifier. The classifier is part of the
 * parameters (and so of paramsHash) because a new model gives a new result, not an overwrite.
 */
export const storedAnalysisParamsSchema = z.object({
  analysis: analysisParamsSchema,
  classifier: classifierParamsSchema,
});
export type StoredAnalysisParams = z.infer<typeof storedAnalysisParamsSchema>;

/**
 * Where a CAM lies over its image: a rectangle in original image pixels, fractional (cam-frame.ts
 * computes it; one resized pixel spans image.width / resized.width original pixels).
 */
export const camFrameSchema = z
  .object({
    x: z.number().min(0),
    y: z.number().min(0),
    width: z.number().positive(),
    height: z.number().positive(),
  })
  .strict();
export type CamFrame = z.infer<typeof camFrameSchema>;

/**
 * One stored map: an 8-bit single-channel PNG in the BlobStore. `encoding` says how to read
 * its samples:
 * - "grey": the analysis image itself (0..255);
 * - "mask": 0 background, 255 foreground;
 * - "colormap-index": an index 0..255 into a colour map (the client colourises it);
 * - "labels": the cluster id per pixel (0..k-1), for a categorical palette;
 * - "heat": the class activation, 0..255 for 0..1.
 */
const mapRefSchema = z.object({
  key: blobKeySchema,
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  encoding: z.enum(["grey", "mask", "colormap-index", "labels", "heat"]),
});
export type MapRef = z.infer<typeof mapRefSchema>;

export const analysisMapKeysSchema = z.object({
  grey: mapRefSchema,
  segmentation: mapRefSchema,
  /** GLCM contrast 0..1 as index = min(255, floor(contrast * 256)) ("hot" in the reference). */
  contrast: mapRefSchema,
  /** One label map per requested K, keyed by K ("3"). */
  clusters: z.record(z.string().regex(/^\d+$/), mapRefSchema.extend({ k: z.number().int().positive() })),
  /**
   * Class activation map of the predicted class (or of params.classifier.camClass), in pixels of
   * the classifier's frame (the image resized so its shorter side is 307): the centre 256 x 256
   * crop, or in the tiles mode the analysed area. `frame`: where it lies over the image (original
   * px, cam-frame.ts); absent (stored before frames): the centre crop.
   */
  cam: mapRefSchema
    .extend({ classIndex: z.number().int().nonnegative(), className: z.string(), frame: camFrameSchema.optional() })
    .optional(),
});
export type AnalysisMapKeys = z.infer<typeof analysisMapKeysSchema>;

const kmeansStatsSchema = z.object({
  requestedK: z.number().int(),
  k: z.number().int(),
  method: z.string(),
  centers: z.array(z.number()),
  standardizedCenters: z.array(z.number()),
  counts: z.array(z.number().int()),
  areaPercent: z.array(z.number()),
  inertia: z.number(),
  standardizedInertia: z.number(),
  mean: z.number(),
  std: z.number(),
});
/** Analysis.clusterStats: the k-means summary per K, keyed by K. */
export const clusterStatsSchema = z.record(z.string().regex(/^\d+$/), kmeansStatsSchema);
export type ClusterStats = z.infer<typeof clusterStatsSchema>;

/** Analysis.descriptors: whole-image numbers (morphology descriptors may add fields later). */
export const analysisDescriptorsSchema = z.object({
  otsuThreshold: z.number().int(),
  /** Share of pixels above the Otsu threshold, 0..1. */
  foregroundFraction: z.number(),
  /** Mean GLCM contrast over the whole map, 0..1. */
  meanContrast: z.number(),
  /**
   * The classifier's calibration for this image (server/inference/calibration.ts): the temperature
   * applied to its probabilities and its out-of-distribution score with the model's threshold.
   * Absent: no classification, or a result stored before calibration. "Uncertain" is decided when
   * read, with the project's settings (core/analysis/uncertainty.ts).
   */
  calibration: z
    .object({ temperature: z.number(), oodScore: z.number().nullable(), oodThreshold: z.number().nullable() })
    .optional(),
});
export type AnalysisDescriptors = z.infer<typeof analysisDescriptorsSchema>;

/** Analysis.probabilities: class name -> probability, in the model's class order. */
export const probabilitiesSchema = z.record(z.string(), z.number());
