/**
 * Calibrated probabilities and an honest "uncertain" (pure maths, both sides use it):
 * - temperature scaling: softmax(logits / T), T fitted offline on held-out synthetic images
 *   (scripts/calibration/, stored beside the model as <model>.calibration.json);
 * - the expected calibration error (ECE) that reports how well it worked;
 * - an out-of-distribution score on the classifier's pooled features: the Mahalanobis distance to
 *   the nearest class mean under the shared within-class covariance (its top principal directions
 *   plus an isotropic rest), per dimension, so about 1 for images like the training ones;
 * - the decision: "uncertain" (with its reason) when the calibrated top probability is below the
 *   project's minimum, or the OOD score above the threshold, instead of forcing a class.
 */
import { z } from "zod";

/** softmax(logits / temperature), numerically stable. */
export function temperatureSoftmax(logits: ArrayLike<number>, temperature: number): number[] {
  if (!(temperature > 0) || !Number.isFinite(temperature)) throw new RangeError("temperature must be positive");
  const scaled = Array.from(logits, (z) => z / temperature);
  const max = Math.max(...scaled);
  const exps = scaled.map((z) => Math.exp(z - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/**
 * Expected calibration error over equal-width confidence bins (a confidence c falls in bin i when
 * i/B < c <= (i+1)/B): sum over bins of (share of samples) * |accuracy - mean confidence|.
 */
export function expectedCalibrationError(
  samples: readonly { confidence: number; correct: boolean }[],
  bins = 15,
): number {
  if (samples.length === 0) return 0;
  const count = new Array<number>(bins).fill(0);
  const hits = new Array<number>(bins).fill(0);
  const confidence = new Array<number>(bins).fill(0);
  for (const sample of samples) {
    const bin = Math.min(bins - 1, Math.max(0, Math.ceil(sample.confidence * bins) - 1));
    count[bin]! += 1;
    hits[bin]! += sample.correct ? 1 : 0;
    confidence[bin]! += sample.confidence;
  }
  let total = 0;
  for (let i = 0; i < bins; i++) {
    const n = count[i]!;
    if (n > 0) total += (n / samples.length) * Math.abs(hits[i]! / n - confidence[i]! / n);
  }
  return total;
}

/** The feature part of the OOD model: a class-conditional Gaussian of the pooled features. */
export const featureOodSchema = z.object({
  /** One mean pooled-feature vector per class (of the network's own classes). */
  classMeans: z.array(z.array(z.number())).min(1),
  /** Top principal directions of the shared within-class covariance, unit vectors (k x D). */
  components: z.array(z.array(z.number())),
  /** Their variances (k). */
  eigenvalues: z.array(z.number().positive()),
  /** Mean variance of the remaining directions. */
  residualVariance: z.number().positive(),
  /** A high percentile of held-out in-distribution scores. */
  threshold: z.number().positive(),
});
export type FeatureOodModel = z.infer<typeof featureOodSchema>;

/** The image part: a Gaussian of {@link imageStatistics} of the classifier's input plane. */
export const imageOodSchema = z.object({
  mean: z.array(z.number()).min(1),
  /** Inverse covariance (dims x dims). */
  precision: z.array(z.array(z.number())),
  threshold: z.number().positive(),
});
export type ImageOodModel = z.infer<typeof imageOodSchema>;

/** The fitted OOD model (a part of the calibration file). */
export const oodModelSchema = z.object({
  features: featureOodSchema,
  image: imageOodSchema.optional(),
});
export type OodModel = z.infer<typeof oodModelSchema>;

/** The combined score's threshold: each part is scaled by its own threshold. */
export const OOD_THRESHOLD = 1;

/**
 * sqrt(min_c (x - mu_c)' P (x - mu_c) / D): P the low-rank-plus-isotropic precision of the OOD
 * model. About 1 for in-distribution features, larger the less an image looks like the training set.
 */
export function featureOodScore(features: ArrayLike<number>, model: FeatureOodModel): number {
  const dims = features.length;
  let best = Infinity;
  for (const mean of model.classMeans) {
    if (mean.length !== dims) throw new RangeError(`the OOD model has ${mean.length} features, got ${dims}`);
    const diff = Array.from(features, (x, i) => x - mean[i]!);
    const norm2 = diff.reduce((a, d) => a + d * d, 0);
    let projected2 = 0;
    let d2 = 0;
    model.components.forEach((component, j) => {
      let p = 0;
      for (let i = 0; i < dims; i++) p += component[i]! * diff[i]!;
      projected2 += p * p;
      d2 += (p * p) / model.eigenvalues[j]!;
    });
    d2 += Math.max(0, norm2 - projected2) / model.residualVariance;
    best = Math.min(best, d2);
  }
  return Math.sqrt(best / dims);
}

/** sqrt((s - mean)' P (s - mean) / dims) of the image statistics. */
export function imageOodScore(statistics: readonly number[], model: ImageOodModel): number {
  const dims = model.mean.length;
  if (statistics.length !== dims)
    throw new RangeError(`the OOD model has ${dims} statistics, got ${statistics.length}`);
  const diff = statistics.map((s, i) => s - model.mean[i]!);
  let d2 = 0;
  for (let i = 0; i < dims; i++) for (let j = 0; j < dims; j++) d2 += diff[i]! * model.precision[i]![j]! * diff[j]!;
  return Math.sqrt(Math.max(0, d2) / dims);
}

/**
 * The OOD score: the larger of the feature and the image parts, each divided by its threshold,
 * so {@link OOD_THRESHOLD} (1) is the model's own threshold. Without the input plane (or an image
 * part), the feature part alone.
 */
export function oodScore(
  input: {
    features: ArrayLike<number>;
    plane?: ArrayLike<number>;
    side?: number;
    /** The image statistics themselves, instead of a plane (several tiles' statistics averaged). */
    statistics?: readonly number[];
  },
  model: OodModel,
): number {
  const featurePart = featureOodScore(input.features, model.features) / model.features.threshold;
  const statistics =
    input.statistics ?? (input.plane && input.side ? imageStatistics(input.plane, input.side) : undefined);
  if (!model.image || !statistics) return featurePart;
  const imagePart = imageOodScore(statistics, model.image) / model.image.threshold;
  return Math.max(featurePart, imagePart);
}

/** The project's setting (AnalysisSettings.uncertainty). */
export type UncertaintySettings = {
  /** Below this calibrated top probability the prediction is "uncertain". */
  minConfidence: number;
  /** Above this OOD score the image is "uncertain"; null: the model's own fitted threshold. */
  maxOodScore: number | null;
};

export type UncertaintyInput = {
  /** The calibrated probability of the predicted class. */
  confidence: number | null;
  /** The image's OOD score, when the model has an OOD model. */
  oodScore?: number | null;
  /** The model's fitted threshold (used when the setting is null). */
  oodThreshold?: number | null;
};

export type UncertaintyDecision = { uncertain: false; reason: null } | { uncertain: true; reason: string };

const fmt = (x: number) => (Math.abs(x) >= 10 ? x.toFixed(1) : x.toPrecision(2));

/**
 * "uncertain" with the reason(s), or not. Unlike the training images comes first: a confident
 * answer about an image the model has never seen the like of is not worth reporting.
 */
export function decideUncertainty(input: UncertaintyInput, settings: UncertaintySettings): UncertaintyDecision {
  const reasons: string[] = [];
  const threshold = settings.maxOodScore ?? input.oodThreshold ?? null;
  if (input.oodScore != null && threshold !== null && input.oodScore > threshold) {
    reasons.push(`unlike the training images (OOD score ${fmt(input.oodScore)} > ${fmt(threshold)})`);
  }
  if (input.confidence !== null && input.confidence < settings.minConfidence) {
    reasons.push(`low confidence (${input.confidence.toFixed(2)} < ${settings.minConfidence})`);
  }
  return reasons.length > 0 ? { uncertain: true, reason: reasons.join("; ") } : { uncertain: false, reason: null };
}

/** Lags (px) of the plane's autocorrelation in {@link imageStatistics}. */
const AUTOCORRELATION_LAGS = [1, 4] as const;

/**
 * Image statistics of the classifier's input plane (square, values in [0, 1]) for the second OOD
 * part: log10 of the grey-level spread, and the autocorrelation at 1 and 4 px (mean of the
 * horizontal and vertical ones). Micrographs have contrast and spatial structure at both scales;
 * a flat field has neither, pure noise has no structure beyond the resampling.
 */
export function imageStatistics(plane: ArrayLike<number>, side: number): number[] {
  const n = side * side;
  if (plane.length !== n) throw new RangeError(`expected ${n} values, got ${plane.length}`);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += plane[i]!;
  const mean = sum / n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (plane[i]! - mean) ** 2;
  variance /= n;
  const correlations = AUTOCORRELATION_LAGS.map((lag) => {
    if (variance < 1e-12) return 0;
    let total = 0;
    let count = 0;
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const here = plane[y * side + x]! - mean;
        if (x + lag < side) {
          total += here * (plane[y * side + x + lag]! - mean);
          count++;
        }
        if (y + lag < side) {
          total += here * (plane[(y + lag) * side + x]! - mean);
          count++;
        }
      }
    }
    return total / count / variance;
  });
  return [Math.log10(Math.sqrt(variance) + 1e-3), ...correlations];
}
