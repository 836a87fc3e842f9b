/**
 * ModelVersion.metrics as persisted. Retrained versions store their grouped cross-validation
 * and what they were trained on; built-in ones the metrics of their model card. Persisted
 * names: add fields, never rename.
 */
import { z } from "zod";
import { featureSetSchema } from "~/core/descriptors/feature-sets";

const confusionMatrixSchema = z.array(z.array(z.number().int().nonnegative()));

/** Metrics of a version retrained in the app (retrain-model.handler.ts writes them). */
export const retrainMetricsSchema = z.object({
  source: z.literal("retrain"),
  /**
   * Grouped, stratified k-fold (a group, see groupedBy, never straddles folds), or leave-one-group-out
   * (the default when some group holds several images).
   */
  validation: z.enum(["grouped-k-fold", "leave-one-group-out"]),
  /** What the head reads; absent on versions made before feature sets: "cnn". */
  featureSet: featureSetSchema.optional(),
  folds: z.number().int(),
  /** "source": dataset + file stem (tiles of one micrograph share a group); "image": one per image. */
  groupedBy: z.enum(["source", "image"]),
  groups: z.number().int(),
  /** Support-weighted mean per-class recall (= accuracy). */
  weightedAccuracy: z.number(),
  balancedAccuracy: z.number(),
  weightedF1: z.number(),
  /** confusionMatrix[true][predicted], in the order of `classes`. */
  confusionMatrix: confusionMatrixSchema,
  classes: z.array(z.string()),
  /** Images the head was trained and validated on. */
  n: z.number().int(),
  perClass: z.record(z.string(), z.number().int()),
  /** Labelled images left out: unreadable files, or classes with fewer than 2 images. */
  skipped: z.array(z.object({ imageId: z.string(), fileName: z.string(), reason: z.string() })),
  datasetId: z.string().nullable(),
  /** Pooled features computed by the network vs read from the feature cache. */
  features: z.object({ computed: z.number().int(), cached: z.number().int() }),
  timingsMs: z.object({ features: z.number(), training: z.number(), total: z.number() }),
});
export type RetrainMetrics = z.infer<typeof retrainMetricsSchema>;

/** Metrics of a built-in model: whatever its card says (training/build_model.py). */
export const modelCardMetricsSchema = z.object({
  source: z.literal("model-card"),
  version: z.string(),
  card: z.record(z.string(), z.unknown()),
});

/** The card's held-out synthetic test, when it has one in the training script's format. */
const cardTestSchema = z.object({
  n: z.number().int(),
  accuracy: z.number(),
  weightedF1: z.number(),
  confusionMatrix: confusionMatrixSchema,
});

/** What the UI compares versions by, whatever their source. */
export type ModelVersionScores = {
  /** "model-card": the built-in model's held-out synthetic test; "retrain": cross-validation on the project's labels. */
  source: "model-card" | "retrain";
  /** How the numbers were measured, in words. */
  evaluation: string;
  weightedAccuracy: number;
  weightedF1: number;
  balancedAccuracy: number | null;
  confusionMatrix: number[][];
  n: number;
};

export function scoresOf(metrics: unknown): ModelVersionScores | null {
  const retrained = retrainMetricsSchema.safeParse(metrics);
  if (retrained.success) {
    const m = retrained.data;
    return {
      source: "retrain",
      evaluation:
        m.validation === "leave-one-group-out"
          ? `leave-one-group-out cross-validation by ${m.groupedBy === "source" ? "source micrograph" : "image"} (${m.groups} groups)`
          : `${m.folds}-fold cross-validation, grouped by ${m.groupedBy === "source" ? "source micrograph" : "image"} (${m.groups} groups)`,
      weightedAccuracy: m.weightedAccuracy,
      weightedF1: m.weightedF1,
      balancedAccuracy: m.balancedAccuracy,
      confusionMatrix: m.confusionMatrix,
      n: m.n,
    };
  }
  const card = modelCardMetricsSchema.safeParse(metrics);
  const test = card.success ? cardTestSchema.safeParse(card.data.card.syntheticTest) : null;
  if (test?.success) {
    return {
      source: "model-card",
      evaluation: "held-out synthetic test set (model card)",
      weightedAccuracy: test.data.accuracy,
      weightedF1: test.data.weightedF1,
      balancedAccuracy: null,
      confusionMatrix: test.data.confusionMatrix,
      n: test.data.n,
    };
  }
  return null;
}
