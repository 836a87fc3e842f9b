import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeEach, describe, expect, it } from "vitest";

import { classifyPlanes } from "../classify";
import { providerStatus, requestedProvider, resetProviderStatus } from "../providers";
import { releaseModels } from "../session-cache";
import { camInput, fixtureModel } from "./fixtures";

const original = process.env.INFERENCE_PROVIDER;

beforeEach(async () => {
  await releaseModels();
});

afterAll(async () => {
  if (original === undefined) delete process.env.INFERENCE_PROVIDER;
  else process.env.INFERENCE_PROVIDER = original;
  resetProviderStatus();
  await releaseModels();
});

describe("execution provider from configuration", () => {
  it("defaults to cpu", () => {
    expect(requestedProvider({})).toEqual({ provider: "cpu" });
  });

  it("treats an unknown value as cpu and says why", () => {
    expect(requestedProvider({ INFERENCE_PROVIDER: "tpu" })).toMatchObject({
      provider: "cpu",
      problem: expect.stringMatching(/tpu/),
    });
  });

  // This machine has no CUDA provider library (onnxruntime-node ships it separately), so asking
  // for cuda must fall back. On a GPU machine the test checks the other branch.
  it("falls back from cuda to cpu without crashing, logs once and reports it", async () => {
    process.env.INFERENCE_PROVIDER = "cuda";
    const logged: string[] = [];
    resetProviderStatus({ logger: (m) => logged.push(m) });
    const first = await classifyPlanes({ model: fixtureModel("tiny-visualcnn"), planes: [camInput().plane] });
    // a second model file: a second session, but no second log line
    const dir = mkdtempSync(path.join(tmpdir(), "vccc-provider-"));
    const copy = path.join(dir, "copy.onnx");
    copyFileSync(fixtureModel("tiny-visualcnn"), copy);
    copyFileSync(fixtureModel("tiny-visualcnn").replace(/\.onnx$/, ".json"), path.join(dir, "copy.json"));
    const second = await classifyPlanes({ model: copy, planes: [camInput().plane] });
    const status = providerStatus();
    expect(status.requested).toBe("cuda");
    if (status.active === "cpu") {
      expect(first.model.provider).toBe("cpu");
      expect(status.fallbackReason).toMatch(/CUDA/);
      expect(logged).toHaveLength(1);
    } else {
      expect(first.model.provider).toBe("cuda");
      expect(logged).toHaveLength(0);
    }
    expect(second.results[0]?.probabilities[0]).toBeCloseTo(first.results[0]?.probabilities[0] ?? NaN, 6);
  });
});
