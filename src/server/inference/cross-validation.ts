/**
 * Grouped, stratified k-fold cross-validation of a softmax head: images from the same source
 * (tiles of one micrograph, the same sample) share a group, and a group never straddles folds,
 * so the metrics are not inflated by near-duplicates on both sides.
 */
import "server-only";
import { argMax, applyHead } from "./linear-head";
import { type HeadTrainingOptions, trainSoftmaxHead, type TrainingSet } from "./head-training";
import { createRandom } from "~/core/analysis/random";

export type ClassificationMetrics = {
  /** Support-weighted mean of per-class accuracy (recall), the paper's "weighted accuracy"; equals plain accuracy. */
  weightedAccuracy: number;
  /** Unweighted mean of per-class recall (chance level = 1 / K whatever the imbalance). */
  balancedAccuracy: number;
  /** Support-weighted mean of per-class F1. */
  weightedF1: number;
  /** confusionMatrix[true][predicted], in the order of `classes`. */
  confusionMatrix: number[][];
  classes: string[];
  n: number;
};

export type CrossValidationResult = ClassificationMetrics & {
  folds: number;
  foldSizes: number[];
  /** Out-of-fold predicted class per sample, in input order. */
  predictions: number[];
};

export function metricsFromPredictions(
  labels: number[],
  predictions: number[],
  classes: string[],
): ClassificationMetrics {
  const k = classes.length;
  const confusion = classes.map(() => new Array<number>(k).fill(0));
  labels.forEach((y, i) => {
    const row = confusion[y];
    const p = predictions[i] ?? 0;
    if (row) row[p] = (row[p] ?? 0) + 1;
  });
  const n = labels.length;
  let weightedAccuracy = 0;
  let weightedF1 = 0;
  let recallSum = 0;
  let present = 0;
  for (let c = 0; c < k; c++) {
    const row = confusion[c] ?? [];
    const support = row.reduce((a, b) => a + b, 0);
    const tp = row[c] ?? 0;
    const predicted = confusion.reduce((a, r) => a + (r[c] ?? 0), 0);
    const recall = support > 0 ? tp / support : 0;
    const precision = predicted > 0 ? tp / predicted : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    weightedAccuracy += (support / Math.max(n, 1)) * recall;
    weightedF1 += (support / Math.max(n, 1)) * f1;
    if (support > 0) {
      recallSum += recall;
      present += 1;
    }
  }
  return {
    weightedAccuracy,
    balancedAccuracy: present > 0 ? recallSum / present : 0,
    weightedF1,
    confusionMatrix: confusion,
    classes: [...classes],
    n,
  };
}

/**
 * Fold index per sample. Groups are placed one by one (largest first, ties in seeded random
 * order) into the fold that keeps the per-class proportions across folds most even.
 */
export function groupedStratifiedFolds(
  labels: number[],
  groups: string[],
  numClasses: number,
  folds: number,
  seed = 0,
): number[] {
  if (labels.length !== groups.length) throw new RangeError(`${labels.length} labels but ${groups.length} groups`);
  const members = new Map<string, number[]>();
  groups.forEach((g, i) => members.set(g, [...(members.get(g) ?? []), i]));
  const k = Math.min(folds, members.size);
  if (k < 2) throw new RangeError(`cross-validation needs at least 2 groups, got ${members.size}`);
  const random = createRandom(seed); // seeded: tie-breaks are repeatable
  const entries = [...members.entries()].map(([name, idx]) => {
    const counts = new Array<number>(numClasses).fill(0);
    for (const i of idx) counts[labels[i] ?? 0] = (counts[labels[i] ?? 0] ?? 0) + 1;
    return { name, idx, counts, tie: random() };
  });
  entries.sort((a, b) => b.idx.length - a.idx.length || a.tie - b.tie);
  const classTotals = new Array<number>(numClasses).fill(0);
  for (const y of labels) classTotals[y] = (classTotals[y] ?? 0) + 1;
  const foldCounts = Array.from({ length: k }, () => new Array<number>(numClasses).fill(0));
  const foldSizes = new Array<number>(k).fill(0);
  const assignment = new Array<number>(labels.length).fill(0);
  for (const entry of entries) {
    let bestFold = 0;
    let bestCost = Infinity;
    for (let f = 0; f < k; f++) {
      // Spread of each class's share over the folds if the group went into fold f, plus a
      // small pull towards equal fold sizes.
      let cost = 0;
      for (let c = 0; c < numClasses; c++) {
        const total = classTotals[c] ?? 0;
        if (total === 0) continue;
        let sum = 0;
        let sumSq = 0;
        for (let g = 0; g < k; g++) {
          const share = ((foldCounts[g]?.[c] ?? 0) + (g === f ? (entry.counts[c] ?? 0) : 0)) / total;
          sum += share;
          sumSq += share * share;
        }
        cost += sumSq / k - (sum / k) ** 2;
      }
      cost += (1e-3 * ((foldSizes[f] ?? 0) + entry.idx.length)) / labels.length;
      if (cost < bestCost) {
        bestCost = cost;
        bestFold = f;
      }
    }
    for (const i of entry.idx) assignment[i] = bestFold;
    entry.counts.forEach((count, c) => {
      const row = foldCounts[bestFold];
      if (row) row[c] = (row[c] ?? 0) + count;
    });
    foldSizes[bestFold] = (foldSizes[bestFold] ?? 0) + entry.idx.length;
  }
  return assignment;
}

export type CrossValidateOptions = HeadTrainingOptions & {
  /** Group per sample; samples without one are their own group. */
  groups?: (string | undefined)[];
  /** @default 5 (fewer when there are fewer groups) */
  folds?: number;
  /** Tie-break seed of the fold assignment. @default 0 */
  seed?: number;
};

export function crossValidateHead(set: TrainingSet, options: CrossValidateOptions = {}): CrossValidationResult {
  const groups = set.labels.map((_, i) => options.groups?.[i] ?? `\u0000sample-${i}`);
  const assignment = groupedStratifiedFolds(
    set.labels,
    groups,
    set.classes.length,
    options.folds ?? 5,
    options.seed ?? 0,
  );
  const folds = Math.max(...assignment) + 1;
  const predictions = new Array<number>(set.labels.length).fill(0);
  const foldSizes: number[] = [];
  for (let f = 0; f < folds; f++) {
    const train: TrainingSet = { features: [], labels: [], classes: set.classes };
    const held: number[] = [];
    assignment.forEach((fold, i) => {
      if (fold === f) held.push(i);
      else {
        train.features.push(set.features[i] ?? new Float32Array());
        train.labels.push(set.labels[i] ?? 0);
      }
    });
    foldSizes.push(held.length);
    if (held.length === 0) continue;
    const head = trainSoftmaxHead(train, options);
    for (const i of held) predictions[i] = argMax(applyHead(head, set.features[i] ?? new Float32Array()));
  }
  return { ...metricsFromPredictions(set.labels, predictions, set.classes), folds, foldSizes, predictions };
}
