import { describe, expect, it } from "vitest";
import { sourceGroup } from "../collect-training-set";
import { isModelVersionRef, modelVersionRef, parseModelRef } from "../model-ref";
import { crossValidatedScoresOf, syntheticTestOf } from "../model-version-metrics";
import { compareLeastConfident, type QueuedImage } from "../list-least-confident-images";
import { scoreStoredPredictions } from "../stored-analysis-label-metrics";

describe("model references", () => {
  it("tells model files from versions", () => {
    expect(parseModelRef("visual-ccc-synthetic-v2")).toEqual({ kind: "file", model: "visual-ccc-synthetic-v2" });
    expect(parseModelRef("tests/fixtures/inference/tiny-visualcnn.onnx")).toEqual({
      kind: "file",
      model: "tests/fixtures/inference/tiny-visualcnn.onnx",
    });
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

const RETRAINED = {
  source: "retrain",
  validation: "leave-one-group-out",
  folds: 3,
  groupedBy: "source",
  groups: 3,
  weightedAccuracy: 0.75,
  balancedAccuracy: 0.7,
  weightedF1: 0.74,
  confusionMatrix: [
    [2, 1],
    [0, 1],
  ],
  classes: ["Dendritic", "Spherical"],
  n: 4,
  perClass: { Dendritic: 3, Spherical: 1 },
  skipped: [],
  datasetId: null,
  features: { computed: 4, cached: 0 },
  timingsMs: { features: 1, training: 1, total: 2 },
};

describe("scores", () => {
  it("reads a model card's synthetic test, in the model's classes, and nothing else", () => {
    expect(syntheticTestOf({ source: "model-card", version: "1", card: {} }, ["a", "b"])).toBeNull();
    const card = {
      syntheticTest: {
        n: 10,
        accuracy: 0.9,
        weightedF1: 0.89,
        confusionMatrix: [
          [5, 0],
          [1, 4],
        ],
      },
    };
    const test = syntheticTestOf({ source: "model-card", version: "1", card }, ["dendritic", "spherical"]);
    expect(test).toMatchObject({
      weightedAccuracy: 0.9,
      weightedF1: 0.89,
      balancedAccuracy: null,
      n: 10,
      classes: ["dendritic", "spherical"],
    });
    expect(test!.perClass.map((c) => [c.className, c.precision, c.recall])).toEqual([
      ["dendritic", 5 / 6, 1],
      ["spherical", 1, 4 / 5],
    ]);
    expect(syntheticTestOf(RETRAINED, ["Dendritic", "Spherical"])).toBeNull();
  });

  it("reads a retrained version's cross-validation as scores on the lab's labels, never as synthetic", () => {
    const scores = crossValidatedScoresOf(RETRAINED);
    expect(scores).toMatchObject({ kind: "cross-validation", n: 4, perImage: false, weightedAccuracy: 0.75 });
    expect(scores!.evaluation).toBe("leave-one-group-out cross-validation over 3 groups (source micrographs)");
    expect(scores!.perClass[1]).toMatchObject({ className: "Spherical", precision: 0.5, recall: 1 });
    const withPredictions = { ...RETRAINED, predictions: [{ imageId: "i1", actual: 0, predicted: 1 }] };
    expect(crossValidatedScoresOf(withPredictions)!.perImage).toBe(true);
    expect(crossValidatedScoresOf({ source: "model-card", version: "1", card: {} })).toBeNull();
    expect(crossValidatedScoresOf({ source: "retrain" })).toBeNull();
  });

  it("scores stored predictions against labels without case, keeping labels the model has no class for", () => {
    const scores = scoreStoredPredictions({
      modelClasses: ["dendritic", "spherical"],
      settingsVersion: 2,
      predictions: [
        { imageId: "a", actual: "Dendritic", predicted: "dendritic" },
        { imageId: "b", actual: "Dendritic", predicted: "spherical" },
        { imageId: "c", actual: "Spherical", predicted: "spherical" },
        { imageId: "d", actual: "Mossy", predicted: "dendritic" },
      ],
    });
    expect(scores!.classes).toEqual(["dendritic", "spherical", "Mossy"]);
    expect(scores!.confusionMatrix).toEqual([
      [1, 1, 0],
      [0, 1, 0],
      [1, 0, 0],
    ]);
    expect(scores).toMatchObject({ kind: "stored-analyses", n: 4, weightedAccuracy: 0.5, perImage: true });
    expect(scores!.perClass[2]).toMatchObject({ className: "Mossy", precision: null, recall: 0 });
    expect(scoreStoredPredictions({ modelClasses: ["a", "b"], settingsVersion: 1, predictions: [] })).toBeNull();
  });
});

describe("least confident first", () => {
  const queued = (fileName: string, probability: number | null, uncertain = false): QueuedImage => ({
    imageId: `id-${fileName}`,
    fileName,
    datasetId: "d",
    datasetName: "d",
    prediction: "dendritic",
    probability,
    uncertainReason: uncertain ? "low confidence" : null,
  });

  it("puts uncertain images first, then by probability ascending, ties by name", () => {
    const order = [
      queued("c.png", 0.9),
      queued("b.png", 0.6),
      queued("a.png", 0.6),
      queued("z.png", 0.95, true),
      queued("y.png", 0.55, true),
      queued("x.png", null),
    ]
      .sort(compareLeastConfident)
      .map((q) => q.fileName);
    expect(order).toEqual(["y.png", "z.png", "x.png", "a.png", "b.png", "c.png"]);
  });
});
