/**
 * The model's calibration (server/inference/calibration.ts): temperature scaling of the network's
 * own head, the OOD score of the pooled features, and the shipped model's sidecar file.
 */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { temperatureSoftmax } from "~/core/analysis/uncertainty";
import { calibrateClassification, calibrationPathFor, loadCalibration, type Calibration } from "../calibration";
import { fixtureModel } from "./fixtures";
import { resolveModelPath } from "../session-cache";

const calibration: Calibration = {
  model: "m.onnx",
  modelSha256: "0".repeat(64),
  temperature: 2,
  metrics: {},
  ood: {
    features: {
      classMeans: [
        [0, 0],
        [4, 0],
      ],
      components: [[1, 0]],
      eigenvalues: [1],
      residualVariance: 1,
      threshold: 2,
    },
  },
};

describe("calibrateClassification", () => {
  const result = { probabilities: [0.9, 0.1], pooledFeatures: new Float32Array([0, 8]) };

  it("divides the own head's logits by T (from its probabilities) and scores the features", () => {
    const calibrated = calibrateClassification(calibration, result, true);
    const expected = temperatureSoftmax([Math.log(0.9), Math.log(0.1)], 2);
    expect(calibrated.probabilities[0]).toBeCloseTo(expected[0]!, 12);
    expect(calibrated.probabilities[0]).toBeCloseTo(0.75, 12); // sqrt(9) / (sqrt(9) + 1)
    expect(calibrated.temperature).toBe(2);
    // sqrt(8^2 / 2) in units of the features' threshold 2; the combined threshold is 1.
    expect(calibrated.oodScore).toBeCloseTo(Math.sqrt(64 / 2) / 2, 12);
    expect(calibrated.oodThreshold).toBe(1);
  });

  it("keeps a retrained head's probabilities but still scores the backbone's features", () => {
    const calibrated = calibrateClassification(calibration, result, false);
    expect(calibrated.probabilities).toEqual([0.9, 0.1]);
    expect(calibrated.temperature).toBe(1);
    expect(calibrated.oodScore).not.toBeNull();
  });

  it("without a calibration changes nothing and has no OOD score", () => {
    expect(calibrateClassification(null, result, true)).toEqual({
      probabilities: [0.9, 0.1],
      temperature: 1,
      oodScore: null,
      oodThreshold: null,
    });
  });
});

describe("loadCalibration", () => {
  it("is null for a model without a sidecar", async () => {
    expect(await loadCalibration(fixtureModel("tiny-visualcnn"), "0".repeat(64))).toBeNull();
  });

  const shipped = resolveModelPath();
  it.skipIf(!existsSync(calibrationPathFor(shipped)))(
    "reads the shipped model's calibration, for its file only",
    async () => {
      const { getModel } = await import("../session-cache");
      const model = await getModel(shipped);
      const loaded = await loadCalibration(shipped, model.sha256);
      expect(loaded?.temperature).toBeGreaterThan(0);
      expect(loaded?.ood.features.classMeans).toHaveLength(model.head.classes.length);
      expect(loaded?.ood.features.components[0]).toHaveLength(model.shape.featureChannels);
      expect(await loadCalibration(shipped, "f".repeat(64))).toBeNull();
    },
  );
});
