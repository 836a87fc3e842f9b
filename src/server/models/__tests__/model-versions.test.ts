import { describe, expect, it } from "vitest";
import { sourceGroup } from "../collect-training-set";
import { isModelVersionRef, modelVersionRef, parseModelRef } from "../model-ref";
import { scoresOf } from "../model-version-metrics";

describe("model references", () => {
  it("tells model files from versions", () => {
    expect(parseModelRef("visual-ccc-synthetic-v1")).toEqual({ kind: "file", model: "visual-ccc-synthetic-v1" });
    expect(parseModelRef("tests/fixtures/inference/tiny-visualcnn.onnx")).toEqual({ kind: "file", model: "tests/fixtures/inference/tiny-visualcnn.onnx" });
    expect(parseModelRef(modelVersionRef("clx123"))).toEqual({ kind: "version", modelVersionId: "clx123" });
    expect(isModelVersionRef("version:abc")).toBe(true);
    expect(() => parseModelRef("version:../etc")).toThrow(RangeError);
  });
});

describe("cross-validation groups", () => {
  it("keeps tiles of one micrograph together and distinct files apart", () => {
    expect(sourceGroup("d1", "sampleA_tile03.png")).toBe(sourceGroup("d1", "sampleA-tile-4.tif"));
    expect(sourceGroup("d1", "run/SampleA_crop12.png")).toBe("d1/samplea");
    expect(sourceGroup("d1", "sampleA.png")).not.toBe(sourceGroup("d2", "sampleA.png"));
    expect(sourceGroup("d1", "blobs-01.png")).not.toBe(sourceGroup("d1", "blobs-02.png"));
  });
});

describe("scores", () => {
  it("reads retrained metrics and model-card tests, and nothing else", () => {
    expect(scoresOf({ source: "model-card", version: "1", card: {} })).toBeNull();
    expect(
      scoresOf({ source: "model-card", version: "1", card: { syntheticTest: { n: 10, accuracy: 0.9, weightedF1: 0.89, confusionMatrix: [[5, 0], [1, 4]] } } }),
    ).toMatchObject({ weightedAccuracy: 0.9, weightedF1: 0.89, balancedAccuracy: null, n: 10 });
    expect(scoresOf({ source: "retrain" })).toBeNull();
  });
});
