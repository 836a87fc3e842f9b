import { describe, expect, it } from "vitest";

import { crossValidateHead, groupedStratifiedFolds, metricsFromPredictions } from "../cross-validation";
import { sampleWeights, trainSoftmaxHead } from "../head-training";
import { applyHead, argMax } from "../linear-head";

/** Seeded normal samples (Box-Muller over mulberry32). */
function gaussian(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 1) / 4294967297;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/**
 * Feature vectors like pooled CNN features: `perGroup` tiles of each source image share most of
 * their features (the image), classes differ by a shift along a few channels of size `separation`.
 */
function featureSet(options: { groups: number; perGroup: number; channels: number; separation: number; seed: number }) {
  const normal = gaussian(options.seed);
  const features: Float32Array[] = [];
  const labels: number[] = [];
  const groups: string[] = [];
  for (let g = 0; g < options.groups; g++) {
    const label = g % 2;
    const source = Float32Array.from(
      { length: options.channels },
      (_, k) => 1 + normal() + (k < 8 ? label * options.separation : 0),
    );
    for (let t = 0; t < options.perGroup; t++) {
      features.push(Float32Array.from(source, (v) => v + 0.2 * normal()));
      labels.push(label);
      groups.push(`image-${g}`);
    }
  }
  return { features, labels, groups, classes: ["dendritic", "spherical"] };
}

function shuffled<T>(values: T[], seed: number): T[] {
  const out = [...values];
  const normal = gaussian(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(((normal() + 6) / 12) * (i + 1)) % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe("grouped k-fold cross-validation of a softmax head", () => {
  it("reaches > 95 % on a separable set of 40 tiles from 20 images", () => {
    const set = featureSet({ groups: 20, perGroup: 2, channels: 256, separation: 3, seed: 1 });
    const cv = crossValidateHead(set, { groups: set.groups, folds: 5 });
    expect(cv.weightedAccuracy).toBeGreaterThan(0.95);
    expect(cv.weightedF1).toBeGreaterThan(0.95);
    expect(cv.confusionMatrix.flat().reduce((a, b) => a + b, 0)).toBe(40);
  });

  it("falls to chance when the labels are shuffled", () => {
    const accuracies: number[] = [];
    for (let seed = 1; seed <= 6; seed++) {
      const set = featureSet({ groups: 60, perGroup: 2, channels: 256, separation: 3, seed });
      // shuffle labels per group (tiles of one image keep one label, as real labels would)
      const groupLabels = shuffled(
        Array.from({ length: 60 }, (_, g) => g % 2),
        seed + 100,
      );
      const labels = set.groups.map((g) => groupLabels[Number(g.split("-")[1])] ?? 0);
      accuracies.push(crossValidateHead({ ...set, labels }, { groups: set.groups, folds: 5 }).weightedAccuracy);
    }
    const mean = accuracies.reduce((a, b) => a + b, 0) / accuracies.length;
    expect(mean).toBeGreaterThan(0.3);
    expect(mean).toBeLessThan(0.65);
  });

  it("never splits a group across folds and keeps classes in every fold", () => {
    const set = featureSet({ groups: 30, perGroup: 3, channels: 4, separation: 1, seed: 3 });
    const folds = groupedStratifiedFolds(set.labels, set.groups, 2, 5);
    const foldOfGroup = new Map<string, number>();
    set.groups.forEach((g, i) => {
      const f = folds[i] ?? -1;
      expect(foldOfGroup.get(g) ?? f).toBe(f);
      foldOfGroup.set(g, f);
    });
    for (let f = 0; f < 5; f++) {
      const inFold = set.labels.filter((_, i) => folds[i] === f);
      expect(inFold.length).toBeGreaterThan(0);
      expect(new Set(inFold).size).toBe(2);
    }
  });

  it("would be fooled without groups: near-duplicate tiles inflate ungrouped CV", () => {
    // labels random per image, 4 near-identical tiles per image: ungrouped CV memorises images
    const set = featureSet({ groups: 40, perGroup: 4, channels: 64, separation: 0, seed: 9 });
    const groupLabels = shuffled(
      Array.from({ length: 40 }, (_, g) => g % 2),
      5,
    );
    const labels = set.groups.map((g) => groupLabels[Number(g.split("-")[1])] ?? 0);
    const grouped = crossValidateHead({ ...set, labels }, { groups: set.groups, folds: 5 });
    const ungrouped = crossValidateHead({ ...set, labels }, { folds: 5 });
    expect(ungrouped.weightedAccuracy).toBeGreaterThan(0.9);
    expect(grouped.weightedAccuracy).toBeLessThan(0.75);
  });
});

describe("softmax head", () => {
  it("weights classes by inverse frequency", () => {
    expect(Array.from(sampleWeights([0, 0, 0, 1], 2, "balanced"))).toEqual([4 / 6, 4 / 6, 4 / 6, 2]);
  });

  it("trains a 3-class head that applies to raw features", () => {
    const normal = gaussian(4);
    const features: Float32Array[] = [];
    const labels: number[] = [];
    for (let i = 0; i < 90; i++) {
      const y = i % 3;
      features.push(Float32Array.from({ length: 10 }, (_, k) => 50 + 10 * normal() + (k === y ? 40 : 0)));
      labels.push(y);
    }
    const head = trainSoftmaxHead({ features, labels, classes: ["a", "b", "c"] });
    const correct = features.filter((f, i) => argMax(applyHead(head, f)) === labels[i]).length;
    expect(correct / 90).toBeGreaterThan(0.95);
  });

  it("reports metrics with rows = true class", () => {
    const m = metricsFromPredictions([0, 0, 1, 1], [0, 1, 1, 1], ["a", "b"]);
    expect(m.confusionMatrix).toEqual([
      [1, 1],
      [0, 2],
    ]);
    expect(m.weightedAccuracy).toBeCloseTo(0.75, 10);
    expect(m.balancedAccuracy).toBeCloseTo(0.75, 10);
  });
});
