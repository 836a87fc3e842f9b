import { describe, expect, it } from "vitest";
import { applyHead, argMax } from "../linear-head";
import {
  chooseValidation,
  crossValidateStandardised,
  featureVector,
  fitStandardiser,
  leaveOneGroupOutFolds,
  standardise,
  trainStandardisedHead,
} from "../feature-set-head";

/** 4 groups x 5 samples, 2 features; group "d" sits far off on feature 1 (a held-out outlier). */
function groupedSet() {
  const features: Float32Array[] = [];
  const labels: number[] = [];
  const groups: string[] = [];
  ["a", "b", "c", "d"].forEach((g, gi) => {
    for (let i = 0; i < 5; i++) {
      const y = gi % 2;
      features.push(Float32Array.from([y * 2 + i * 0.1, g === "d" ? 1000 + i : i]));
      labels.push(y);
      groups.push(g);
    }
  });
  return { set: { features, labels, classes: ["neg", "pos"] }, groups };
}

describe("feature-set heads", () => {
  it("standardises inside each fold: the standardiser never sees the held-out group", () => {
    const { set, groups } = groupedSet();
    const cv = crossValidateStandardised(set, { groups });
    expect(cv.validation).toBe("leave-one-group-out");
    expect(cv.folds).toBe(4);
    expect(cv.foldSizes).toEqual([5, 5, 5, 5]);
    const folds = leaveOneGroupOutFolds(groups);
    cv.standardisers.forEach((s, f) => {
      const train = set.features.filter((_, i) => folds[i] !== f);
      const all = fitStandardiser(set.features);
      expect(s).toEqual(fitStandardiser(train));
      // Holding out the outlier group "d": its values must not reach the mean of feature 1.
      if (f === 3) {
        expect(s.mean[1]).toBeCloseTo(2, 6);
        expect(all.mean[1]).toBeGreaterThan(200);
      }
    });
    expect(cv.confusionMatrix.flat().reduce((a, b) => a + b, 0)).toBe(20);
  });

  it("uses leave-one-group-out only when groups hold several samples, k-fold when asked", () => {
    expect(chooseValidation(["a", "a", "b", "b"], undefined)).toBe("leave-one-group-out");
    expect(chooseValidation(["a", "b", "c", "d"], undefined)).toBe("grouped-k-fold");
    expect(chooseValidation([undefined, undefined], undefined)).toBe("grouped-k-fold");
    expect(chooseValidation(["a", "a", "b", "b"], 2)).toBe("grouped-k-fold");
  });

  it("folds the final standardiser into a head over raw vectors", () => {
    const { set } = groupedSet();
    const { head, standardiser } = trainStandardisedHead(set);
    const x = set.features[7]!;
    const z = standardise(standardiser, x);
    expect(Array.from(z).every(Number.isFinite)).toBe(true);
    expect(argMax(applyHead(head, x))).toBe(set.labels[7]);
  });

  it("builds vectors with the CNN channels first", () => {
    expect(Array.from(featureVector("both", [1, 2], [3]))).toEqual([1, 2, 3]);
    expect(Array.from(featureVector("cnn", [1, 2], [3]))).toEqual([1, 2]);
    expect(Array.from(featureVector("descriptors", [1, 2], [3]))).toEqual([3]);
  });
});
