import { readFileSync } from "node:fs";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { classifyPlanes } from "../classify";
import { releaseModels } from "../session-cache";
import { camInput, fixtureDir, fixtureModel, readFloat32 } from "./fixtures";

type Expected = { publishedLogit: number; predictedClass: number; probabilityClass1: number };

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] ?? NaN) - (b[i] ?? NaN)));
  return worst;
}

afterAll(releaseModels);

// The fixture network is a randomly initialised network in the PUBLISHED checkpoint format
// (1-logit head), converted by training/convert_checkpoint.py; the expected maps are Grad-CAM
// computed by PyTorch autograd on the original network (training/make_fixtures.py).
describe("CAM from features + head equals PyTorch Grad-CAM", () => {
  const expected = JSON.parse(readFileSync(path.join(fixtureDir, "cam-expected.json"), "utf8")) as Expected;

  it("for the predicted class, within 1e-4", async () => {
    const { results } = await classifyPlanes({
      model: fixtureModel("tiny-visualcnn"),
      planes: [camInput().plane],
      cam: "predicted",
    });
    const result = results[0];
    expect(result?.classIndex).toBe(expected.predictedClass);
    expect(result?.probabilities[1]).toBeCloseTo(expected.probabilityClass1, 5);
    expect(maxAbsDifference(result?.cam ?? new Float32Array(), readFloat32("cam-predicted.f32"))).toBeLessThan(1e-4);
  });

  it("for the other class, within 1e-4, and the two maps differ", async () => {
    const other = 1 - expected.predictedClass;
    const { results } = await classifyPlanes({
      model: fixtureModel("tiny-visualcnn"),
      planes: [camInput().plane],
      cam: { classIndex: other },
    });
    const cam = results[0]?.cam ?? new Float32Array();
    expect(maxAbsDifference(cam, readFloat32("cam-other.f32"))).toBeLessThan(1e-4);
    expect(maxAbsDifference(cam, readFloat32("cam-predicted.f32"))).toBeGreaterThan(0.1);
  });
});
