/**
 * ModelVersion.metrics as persisted. Retrained versions store their grouped cross-validation
 * and what they were trained on; built-in ones the metrics of their model card. Persisted
 * names: add fields, never rename.
 */
import { z } from "zod";
import { featureSetSchema } from "~/core/descriptors/feature-sets";
import { perClassMetrics, type PerClassMetric } from "~/core/metrics/per-class-metrics";

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
  /**
   * The out-of-fold prediction of every image validated on (indices into `classes`): what the
   * confusion matrix counts, image by image. Absent on versions made before they were stored.
   */
  predictions: z
    .array(
      z.object({
        imageId: z.string(),
        actual: z.number().int().nonnegative(),
        predicted: z.number().int().nonnegative(),
      }),
    )
    .optional(),
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

/** Scores of one evaluation, with per-class precision and recall read off its confusion matrix. */
export type MeasuredScores = {
  /** How the numbers were measured, in words. */
  evaluation: string;
  weightedAccuracy: number;
  /** null when the evaluation did not report it (a model card's synthetic test). */
  balancedAccuracy: number | null;
  weightedF1: number;
  /** The classes of the matrix's rows and columns. */
  classes: string[];
  /** confusionMatrix[true][predicted]. */
  confusionMatrix: number[][];
  perClass: PerClassMetric[];
  n: number;
};

/**
 * Scores on the project's own labels: a retrained version's out-of-fold cross-validation, or a
 * built-in model's stored analyses compared with the current labels (stored-analysis-label-metrics.ts).
 */
export type OwnLabelScores = MeasuredScores & {
  kind: "cross-validation" | "stored-analyses";
  /** Whether the images behind each confusion-matrix cell can be listed (confusionCellImages). */
  perImage: boolean;
};

/** The matrix when it fits the classes, else an all-zero one (a malformed row must not break the panel). */
function perClassOf(classes: string[], matrix: number[][]): PerClassMetric[] {
  try {
    return perClassMetrics(classes, matrix);
  } catch (error) {
    if (error instanceof RangeError) return [];
    throw error;
  }
}

export function measuredScores(scores: Omit<MeasuredScores, "perClass">): MeasuredScores {
  return { ...scores, perClass: perClassOf(scores.classes, scores.confusionMatrix) };
}

/** The held-out synthetic test of a built-in model's card (in its classes' order), or null. */
export function syntheticTestOf(metrics: unknown, classes: string[]): MeasuredScores | null {
  const card = modelCardMetricsSchema.safeParse(metrics);
  const test = card.success ? cardTestSchema.safeParse(card.data.card.syntheticTest) : null;
  if (!test?.success) return null;
  return measuredScores({
    evaluation: `held-out synthetic test set of the model card (${test.data.n} images)`,
    weightedAccuracy: test.data.accuracy,
    balancedAccuracy: null,
    weightedF1: test.data.weightedF1,
    classes,
    confusionMatrix: test.data.confusionMatrix,
    n: test.data.n,
  });
}

/** How a retrained version was validated, in words ("leave-one-group-out over 7 groups (source micrographs)"). */
export function validationInWords(m: Pick<RetrainMetrics, "validation" | "groupedBy" | "groups" | "folds">): string {
  const groups = `${m.groups} groups (${m.groupedBy === "source" ? "source micrographs" : "one per image"})`;
  return m.validation === "leave-one-group-out"
    ? `leave-one-group-out cross-validation over ${groups}`
    : `${m.folds}-fold cross-validation, grouped, over ${groups}`;
}

/** A retrained version's cross-validated scores on the project's labels, or null for other metrics. */
export function crossValidatedScoresOf(metrics: unknown): OwnLabelScores | null {
  const retrained = retrainMetricsSchema.safeParse(metrics);
  if (!retrained.success) return null;
  const m = retrained.data;
  return {
    ...measuredScores({
      evaluation: validationInWords(m),
      weightedAccuracy: m.weightedAccuracy,
      balancedAccuracy: m.balancedAccuracy,
      weightedF1: m.weightedF1,
      classes: m.classes,
      confusionMatrix: m.confusionMatrix,
      n: m.n,
    }),
    kind: "cross-validation",
    perImage: m.predictions !== undefined,
  };
}
