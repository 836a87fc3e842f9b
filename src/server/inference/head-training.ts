/**
 * Trains a new softmax (multinomial logistic) head on pooled features: L2-regularised, class
 * weights for imbalance, deterministic (zero init, full-batch Adam). Features are standardised for
 * the optimisation and the scaling is folded back into the head, so the head applies to raw
 * pooled features exactly like the network's own linear layer (and CAM uses it unchanged).
 */
import "server-only";
import type { LinearHead } from "./linear-head";

export type HeadTrainingOptions = {
  /** L2 penalty on the weights of the standardised features. @default 0.01 */
  l2?: number;
  /** "balanced": weight each class by N / (K * n_class); "none": every sample 1. @default "balanced" */
  classWeighting?: "balanced" | "none";
  /** Full-batch Adam steps. @default 300 */
  iterations?: number;
  /** Adam step size. @default 0.05 */
  learningRate?: number;
};

export type TrainingSet = {
  features: Float32Array[];
  /** Class index per sample, in 0..classes.length-1. */
  labels: number[];
  classes: string[];
};

function assertTrainingSet(set: TrainingSet): number {
  const n = set.features.length;
  if (n === 0) throw new RangeError("no training samples");
  if (set.labels.length !== n) throw new RangeError(`${n} feature vectors but ${set.labels.length} labels`);
  if (set.classes.length < 2) throw new RangeError("a head needs at least 2 classes");
  const c = set.features[0]?.length ?? 0;
  if (c === 0) throw new RangeError("feature vectors are empty");
  set.features.forEach((f, i) => {
    if (f.length !== c) throw new RangeError(`feature vector ${i} has ${f.length} values, expected ${c}`);
  });
  set.labels.forEach((y, i) => {
    if (!Number.isInteger(y) || y < 0 || y >= set.classes.length)
      throw new RangeError(`label ${y} of sample ${i} is outside 0..${set.classes.length - 1}`);
  });
  return c;
}

export function sampleWeights(labels: number[], numClasses: number, mode: "balanced" | "none"): Float64Array {
  const weights = new Float64Array(labels.length).fill(1);
  if (mode === "none") return weights;
  const counts = new Array<number>(numClasses).fill(0);
  for (const y of labels) counts[y] = (counts[y] ?? 0) + 1;
  const present = counts.filter((n) => n > 0).length;
  labels.forEach((y, i) => {
    weights[i] = labels.length / (present * (counts[y] ?? 1));
  });
  return weights;
}

export function trainSoftmaxHead(set: TrainingSet, options: HeadTrainingOptions = {}): LinearHead {
  const c = assertTrainingSet(set);
  const n = set.features.length;
  const k = set.classes.length;
  const l2 = options.l2 ?? 0.01;
  const iterations = options.iterations ?? 300;
  const lr = options.learningRate ?? 0.05;
  const sampleWeight = sampleWeights(set.labels, k, options.classWeighting ?? "balanced");
  let weightTotal = 0;
  for (const w of sampleWeight) weightTotal += w;

  // Standardise (population statistics; constant features get scale 1).
  const mean = new Float64Array(c);
  const scale = new Float64Array(c);
  for (const f of set.features) for (let j = 0; j < c; j++) mean[j] = (mean[j] ?? 0) + (f[j] ?? 0) / n;
  for (const f of set.features)
    for (let j = 0; j < c; j++) scale[j] = (scale[j] ?? 0) + ((f[j] ?? 0) - (mean[j] ?? 0)) ** 2 / n;
  for (let j = 0; j < c; j++) scale[j] = Math.sqrt(scale[j] ?? 0) > 1e-8 ? Math.sqrt(scale[j] ?? 0) : 1;
  const x = new Float64Array(n * c);
  set.features.forEach((f, i) => {
    for (let j = 0; j < c; j++) x[i * c + j] = ((f[j] ?? 0) - (mean[j] ?? 0)) / (scale[j] ?? 1);
  });

  // Parameters: W [k * c] then b [k]; Adam state alongside.
  const size = k * c + k;
  const theta = new Float64Array(size);
  const grad = new Float64Array(size);
  const m1 = new Float64Array(size);
  const m2 = new Float64Array(size);
  const logits = new Float64Array(k);
  const beta1 = 0.9;
  const beta2 = 0.999;
  for (let step = 1; step <= iterations; step++) {
    grad.fill(0);
    for (let i = 0; i < n; i++) {
      let peak = -Infinity;
      for (let a = 0; a < k; a++) {
        let acc = theta[k * c + a] ?? 0;
        const row = a * c;
        for (let j = 0; j < c; j++) acc += (theta[row + j] ?? 0) * (x[i * c + j] ?? 0);
        logits[a] = acc;
        if (acc > peak) peak = acc;
      }
      let total = 0;
      for (let a = 0; a < k; a++) {
        logits[a] = Math.exp((logits[a] ?? 0) - peak);
        total += logits[a] ?? 0;
      }
      const w = (sampleWeight[i] ?? 1) / weightTotal;
      const y = set.labels[i] ?? 0;
      for (let a = 0; a < k; a++) {
        const residual = w * ((logits[a] ?? 0) / total - (a === y ? 1 : 0));
        if (residual === 0) continue;
        const row = a * c;
        for (let j = 0; j < c; j++) grad[row + j] = (grad[row + j] ?? 0) + residual * (x[i * c + j] ?? 0);
        grad[k * c + a] = (grad[k * c + a] ?? 0) + residual;
      }
    }
    for (let p = 0; p < k * c; p++) grad[p] = (grad[p] ?? 0) + l2 * (theta[p] ?? 0);
    const correction1 = 1 - beta1 ** step;
    const correction2 = 1 - beta2 ** step;
    for (let p = 0; p < size; p++) {
      const g = grad[p] ?? 0;
      m1[p] = beta1 * (m1[p] ?? 0) + (1 - beta1) * g;
      m2[p] = beta2 * (m2[p] ?? 0) + (1 - beta2) * g * g;
      theta[p] = (theta[p] ?? 0) - (lr * ((m1[p] ?? 0) / correction1)) / (Math.sqrt((m2[p] ?? 0) / correction2) + 1e-8);
    }
  }

  // Fold the standardisation back: w_raw = w / scale, b_raw = b - sum_j w_j * mean_j / scale_j.
  const weights: Float32Array[] = [];
  const bias = new Float32Array(k);
  for (let a = 0; a < k; a++) {
    const row = new Float32Array(c);
    let shift = 0;
    for (let j = 0; j < c; j++) {
      const w = (theta[a * c + j] ?? 0) / (scale[j] ?? 1);
      row[j] = w;
      shift += w * (mean[j] ?? 0);
    }
    weights.push(row);
    bias[a] = (theta[k * c + a] ?? 0) - shift;
  }
  return { classes: [...set.classes], weights, bias };
}
