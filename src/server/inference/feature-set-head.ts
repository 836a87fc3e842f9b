/**
 * Heads over a chosen feature set: the CNN's pooled features ("cnn"), the measured descriptors
 * ("descriptors", core/descriptors) or both concatenated ("both", CNN channels first).
 *
 * Cross-validation standardises inside each fold: the mean and scale are fitted on the training
 * folds only and applied to the held-out one. Validation is leave-one-group-out whenever real
 * groups exist (some group holds more than one image: tiles of one micrograph, one sample), else
 * grouped, stratified k-fold. The final head is trained on every image; its standardisation is
 * stored with it and also folded into its weights, so the head applies to the raw vector
 * (and, for "both", its first channels are an ordinary CNN head: CAM explains the CNN part).
 */
import "server-only";
import { z } from "zod";
import type { FeatureSet } from "~/core/descriptors/feature-sets";
import { type CrossValidationResult, groupedStratifiedFolds, metricsFromPredictions } from "./cross-validation";
import { type HeadTrainingOptions, trainSoftmaxHead, type TrainingSet } from "./head-training";
import { applyHead, argMax, type LinearHead } from "./linear-head";

export { FEATURE_SETS, type FeatureSet, featureSetSchema } from "~/core/descriptors/feature-sets";

export type Validation = "leave-one-group-out" | "grouped-k-fold";

/** Groups beyond this many fall back to grouped k-fold (one training per group is the cost). */
export const MAX_LOGO_GROUPS = 200;

export type Standardiser = { mean: number[]; scale: number[] };
export const standardiserSchema = z.object({ mean: z.array(z.number()), scale: z.array(z.number()) });

/** Population mean and standard deviation per feature; a constant feature gets scale 1. */
export function fitStandardiser(rows: ArrayLike<number>[]): Standardiser {
  const c = rows[0]?.length ?? 0;
  const n = rows.length;
  const mean = new Array<number>(c).fill(0);
  const scale = new Array<number>(c).fill(0);
  for (const r of rows) for (let j = 0; j < c; j++) mean[j]! += (r[j] ?? 0) / n;
  for (const r of rows) for (let j = 0; j < c; j++) scale[j]! += ((r[j] ?? 0) - mean[j]!) ** 2 / n;
  for (let j = 0; j < c; j++) scale[j] = Math.sqrt(scale[j]!) > 1e-8 ? Math.sqrt(scale[j]!) : 1;
  return { mean, scale };
}

export function standardise(s: Standardiser, row: ArrayLike<number>): Float32Array {
  const out = new Float32Array(s.mean.length);
  for (let j = 0; j < out.length; j++) out[j] = ((row[j] ?? 0) - s.mean[j]!) / s.scale[j]!;
  return out;
}

/** The head over raw vectors equivalent to `head` over standardised ones. */
export function foldStandardiser(head: LinearHead, s: Standardiser): LinearHead {
  const bias = Float32Array.from(head.bias);
  const weights = head.weights.map((row, a) => {
    const raw = new Float32Array(row.length);
    let shift = 0;
    for (let j = 0; j < row.length; j++) {
      raw[j] = (row[j] ?? 0) / s.scale[j]!;
      shift += raw[j]! * s.mean[j]!;
    }
    bias[a] = (bias[a] ?? 0) - shift;
    return raw;
  });
  return { classes: [...head.classes], weights, bias };
}

/** Concatenates the parts a feature set uses (CNN channels first). */
export function featureVector(
  features: FeatureSet,
  pooled?: ArrayLike<number>,
  descriptors?: ArrayLike<number>,
): Float32Array {
  const cnn = features === "descriptors" ? [] : Array.from(pooled ?? []);
  const measured = features === "cnn" ? [] : Array.from(descriptors ?? []);
  return Float32Array.from([...cnn, ...measured]);
}

/** Whether groups are real: at least one group holds two samples or more. */
export function hasRealGroups(groups: (string | undefined)[]): boolean {
  const seen = new Set<string>();
  for (const g of groups) {
    if (g === undefined) continue;
    if (seen.has(g)) return true;
    seen.add(g);
  }
  return false;
}

/** Fold per sample, one fold per group, in order of first appearance. */
export function leaveOneGroupOutFolds(groups: string[]): number[] {
  const index = new Map<string, number>();
  return groups.map((g) => {
    if (!index.has(g)) index.set(g, index.size);
    return index.get(g)!;
  });
}

export type FeatureCrossValidation = CrossValidationResult & {
  validation: Validation;
  /** The standardiser of each fold, fitted on its training samples only. */
  standardisers: Standardiser[];
};

export type FeatureCrossValidateOptions = HeadTrainingOptions & {
  groups?: (string | undefined)[];
  /** Grouped k-fold with this many folds; absent: leave-one-group-out when real groups exist, else 5-fold. */
  folds?: number;
  seed?: number;
};

export function chooseValidation(groups: (string | undefined)[], folds: number | undefined): Validation {
  if (folds !== undefined) return "grouped-k-fold";
  const distinct = new Set(groups.filter((g) => g !== undefined)).size;
  return hasRealGroups(groups) && distinct >= 2 && distinct <= MAX_LOGO_GROUPS
    ? "leave-one-group-out"
    : "grouped-k-fold";
}

export function crossValidateStandardised(
  set: TrainingSet,
  options: FeatureCrossValidateOptions = {},
): FeatureCrossValidation {
  const groups = set.labels.map((_, i) => options.groups?.[i] ?? `\u0000sample-${i}`);
  const validation = chooseValidation(options.groups ?? [], options.folds);
  const assignment =
    validation === "leave-one-group-out"
      ? leaveOneGroupOutFolds(groups)
      : groupedStratifiedFolds(set.labels, groups, set.classes.length, options.folds ?? 5, options.seed ?? 0);
  const folds = Math.max(...assignment) + 1;
  const predictions = new Array<number>(set.labels.length).fill(0);
  const foldSizes: number[] = [];
  const standardisers: Standardiser[] = [];
  for (let f = 0; f < folds; f++) {
    const trainIdx: number[] = [];
    const held: number[] = [];
    assignment.forEach((fold, i) => (fold === f ? held : trainIdx).push(i));
    foldSizes.push(held.length);
    const s = fitStandardiser(trainIdx.map((i) => set.features[i]!));
    standardisers.push(s);
    if (held.length === 0) continue;
    const head = trainSoftmaxHead(
      {
        features: trainIdx.map((i) => standardise(s, set.features[i]!)),
        labels: trainIdx.map((i) => set.labels[i]!),
        classes: set.classes,
      },
      options,
    );
    for (const i of held) predictions[i] = argMax(applyHead(head, standardise(s, set.features[i]!)));
  }
  return {
    ...metricsFromPredictions(set.labels, predictions, set.classes),
    folds,
    foldSizes,
    predictions,
    validation,
    standardisers,
  };
}

/** The final head on every sample: its standardiser, and the head over raw vectors. */
export function trainStandardisedHead(
  set: TrainingSet,
  options: HeadTrainingOptions = {},
): { standardiser: Standardiser; head: LinearHead } {
  const standardiser = fitStandardiser(set.features);
  const head = trainSoftmaxHead({ ...set, features: set.features.map((f) => standardise(standardiser, f)) }, options);
  return { standardiser, head: foldStandardiser(head, standardiser) };
}
