import { describe, expect, it } from "vitest";

import {
  decideUncertainty,
  expectedCalibrationError,
  featureOodScore,
  imageOodScore,
  imageStatistics,
  oodScore,
  temperatureSoftmax,
  type FeatureOodModel,
} from "../uncertainty";

describe("temperatureSoftmax", () => {
  it("is the softmax at T = 1 and flattens for T > 1", () => {
    const [a, b] = temperatureSoftmax([2, 0], 1);
    expect(a).toBeCloseTo(1 / (1 + Math.exp(-2)), 12);
    expect(b).toBeCloseTo(1 - a!, 12);
    const flat = temperatureSoftmax([2, 0], 4);
    expect(flat[0]).toBeCloseTo(1 / (1 + Math.exp(-0.5)), 12);
    expect(temperatureSoftmax([2, 0], 1e6)[0]).toBeCloseTo(0.5, 5);
  });

  it("is shift invariant, stable for huge logits and keeps the argmax", () => {
    const p = temperatureSoftmax([1000, 990, -1000], 2);
    expect(p.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
    expect(p[0]).toBeCloseTo(1 / (1 + Math.exp(-5)), 12);
    expect(p).toEqual(temperatureSoftmax([10, 0, -2000], 2));
  });

  it("rejects a non-positive temperature", () => {
    expect(() => temperatureSoftmax([1, 2], 0)).toThrow(RangeError);
    expect(() => temperatureSoftmax([1, 2], Number.NaN)).toThrow(RangeError);
  });
});

describe("expectedCalibrationError", () => {
  it("is 0 when confidence matches accuracy in every bin", () => {
    const samples = [
      ...Array.from({ length: 8 }, (_, i) => ({ confidence: 0.75, correct: i < 6 })),
      ...Array.from({ length: 4 }, () => ({ confidence: 1, correct: true })),
    ];
    expect(expectedCalibrationError(samples)).toBeCloseTo(0, 12);
  });

  it("weights each bin's gap by its share of the samples", () => {
    // 3 over-confident samples at 0.95 (1 correct): gap 0.95 - 1/3; 1 at 0.55, correct: gap 0.45.
    const samples = [
      { confidence: 0.95, correct: true },
      { confidence: 0.95, correct: false },
      { confidence: 0.95, correct: false },
      { confidence: 0.55, correct: true },
    ];
    expect(expectedCalibrationError(samples, 15)).toBeCloseTo(0.75 * (0.95 - 1 / 3) + 0.25 * 0.45, 12);
    expect(expectedCalibrationError([])).toBe(0);
  });

  it("puts a confidence on a bin edge in the lower bin (i/B < c <= (i+1)/B)", () => {
    // 0.5 and 0.6 share bin (0.4, 0.6] with 5 bins; mean confidence 0.55, accuracy 0.5.
    const samples = [
      { confidence: 0.5, correct: true },
      { confidence: 0.6, correct: false },
    ];
    expect(expectedCalibrationError(samples, 5)).toBeCloseTo(0.05, 12);
  });
});

describe("featureOodScore", () => {
  // 3 features, 2 classes; one kept direction (x) with variance 4, the rest variance 1.
  const model: FeatureOodModel = {
    classMeans: [
      [0, 0, 0],
      [10, 0, 0],
    ],
    components: [[1, 0, 0]],
    eigenvalues: [4],
    residualVariance: 1,
    threshold: 2,
  };

  it("is the Mahalanobis distance to the nearest class mean, per dimension", () => {
    expect(featureOodScore([0, 0, 0], model)).toBe(0);
    expect(featureOodScore([10, 0, 0], model)).toBe(0);
    // Nearest mean 0: (2^2 / 4 + 3^2 / 1) / 3 = 10 / 3.
    expect(featureOodScore([2, 3, 0], model)).toBeCloseTo(Math.sqrt(10 / 3), 12);
    // Nearest mean 10: (1 / 4 + 0) / 3.
    expect(featureOodScore([9, 0, 0], model)).toBeCloseTo(Math.sqrt(1 / 12), 12);
  });

  it("grows with the distance from the training features", () => {
    expect(featureOodScore([0, 50, 0], model)).toBeGreaterThan(featureOodScore([0, 5, 0], model));
  });

  it("rejects features of another length", () => {
    expect(() => featureOodScore([0, 0], model)).toThrow(RangeError);
  });
});

describe("imageStatistics and the combined oodScore", () => {
  const side = 32;
  const flat = new Float32Array(side * side).fill(0.5);
  // Vertical stripes 8 px wide: strongly correlated at 1 px, anti-correlated at 8, 0 at 4.
  const stripes = Float32Array.from({ length: side * side }, (_, i) => (Math.floor((i % side) / 8) % 2 ? 1 : 0));

  it("measures contrast and structure", () => {
    expect(imageStatistics(flat, side)).toEqual([Math.log10(1e-3), 0, 0]);
    const [logStd, at1, at4] = imageStatistics(stripes, side);
    expect(logStd).toBeCloseTo(Math.log10(0.5 + 1e-3), 12);
    expect(at1).toBeGreaterThan(0.8);
    expect(Math.abs(at4!)).toBeLessThan(0.6);
    expect(() => imageStatistics(flat, side + 1)).toThrow(RangeError);
  });

  it("takes the larger part, each in units of its own threshold", () => {
    const image = {
      mean: [-1, 0.5, 0.2],
      precision: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
      threshold: 0.5,
    };
    expect(imageOodScore([-1, 0.5, 0.2], image)).toBe(0);
    expect(imageOodScore([-1, 0.5, 3.2], image)).toBeCloseTo(Math.sqrt(3), 12);
    const features: FeatureOodModel = {
      classMeans: [[0]],
      components: [],
      eigenvalues: [],
      residualVariance: 1,
      threshold: 2,
    };
    const model = { features, image };
    expect(oodScore({ features: [1] }, model)).toBeCloseTo(0.5, 12);
    const flatScore = imageOodScore(imageStatistics(flat, side), image) / 0.5;
    expect(oodScore({ features: [1], plane: flat, side }, model)).toBeCloseTo(Math.max(0.5, flatScore), 12);
    expect(flatScore).toBeGreaterThan(1);
  });
});

describe("decideUncertainty", () => {
  const settings = { minConfidence: 0.7, maxOodScore: null };

  it("reports a confident in-distribution prediction", () => {
    expect(decideUncertainty({ confidence: 0.9, oodScore: 1, oodThreshold: 2.1 }, settings)).toEqual({
      uncertain: false,
      reason: null,
    });
  });

  it("says low confidence with the numbers", () => {
    expect(decideUncertainty({ confidence: 0.55, oodScore: 1, oodThreshold: 2.1 }, settings)).toEqual({
      uncertain: true,
      reason: "low confidence (0.55 < 0.7)",
    });
  });

  it("says unlike the training images, with the model's threshold or the setting's", () => {
    expect(decideUncertainty({ confidence: 0.99, oodScore: 3.2, oodThreshold: 2.1 }, settings)).toEqual({
      uncertain: true,
      reason: "unlike the training images (OOD score 3.2 > 2.1)",
    });
    expect(
      decideUncertainty({ confidence: 0.99, oodScore: 3.2, oodThreshold: 2.1 }, { ...settings, maxOodScore: 5 }),
    ).toEqual({ uncertain: false, reason: null });
  });

  it("gives every reason that holds", () => {
    const decision = decideUncertainty({ confidence: 0.6, oodScore: 40, oodThreshold: 2.1 }, settings);
    expect(decision.reason).toBe("unlike the training images (OOD score 40.0 > 2.1); low confidence (0.60 < 0.7)");
  });

  it("without an OOD score decides on confidence alone", () => {
    expect(decideUncertainty({ confidence: 0.99 }, settings).uncertain).toBe(false);
    expect(decideUncertainty({ confidence: 0.99, oodScore: null, oodThreshold: null }, settings).uncertain).toBe(false);
  });
});
