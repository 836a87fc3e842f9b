import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { ModelContractError } from "../onnx-contract";
import { getModel, releaseModels } from "../session-cache";
import { fixtureModel } from "./fixtures";

afterAll(releaseModels);

function scratchCopy(model: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "vccc-contract-"));
  const target = path.join(dir, path.basename(model));
  copyFileSync(model, target);
  copyFileSync(model.replace(/\.onnx$/, ".json"), target.replace(/\.onnx$/, ".json"));
  return target;
}

async function refusal(model: string): Promise<string> {
  const error = await getModel(model).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelContractError);
  return (error as Error).message;
}

describe("model files are validated against the contract", () => {
  it("accepts the fixture model and reports its shape", async () => {
    const model = await getModel(fixtureModel("tiny-visualcnn"));
    expect(model.shape).toEqual({ featureChannels: 16, featureHeight: 16, featureWidth: 16, numClasses: 2 });
    expect(model.card.classes).toEqual(["Dendrites", "Spheroids"]);
  });

  it("refuses a file that is not ONNX", async () => {
    const model = scratchCopy(fixtureModel("tiny-visualcnn"));
    const garbage = Buffer.from("this is not a protobuf model");
    writeFileSync(model, garbage);
    const card = JSON.parse(readFileSync(model.replace(/\.onnx$/, ".json"), "utf8")) as { sha256: string };
    card.sha256 = (await import("node:crypto")).createHash("sha256").update(garbage).digest("hex");
    writeFileSync(model.replace(/\.onnx$/, ".json"), JSON.stringify(card));
    expect(await refusal(model)).toMatch(/not a loadable ONNX model/);
  });

  it("refuses wrong output names, naming the missing output", async () => {
    expect(await refusal(fixtureModel("contract-wrong-names"))).toMatch(/no output named "features"/);
  });

  it("refuses a 3-channel input, naming the shape", async () => {
    expect(await refusal(fixtureModel("contract-rgb-input"))).toMatch(
      /input "image" has shape \[N, 3, 256, 256\], expected \[N, 1, 256, 256\]/,
    );
  });

  it("refuses a card whose head does not produce the model's logits", async () => {
    const model = scratchCopy(fixtureModel("tiny-visualcnn"));
    const cardPath = model.replace(/\.onnx$/, ".json");
    const card = JSON.parse(readFileSync(cardPath, "utf8")) as { head: { weights: number[][] } };
    card.head.weights = card.head.weights.map((row) => row.map((w) => -w));
    writeFileSync(cardPath, JSON.stringify(card));
    expect(await refusal(model)).toMatch(/not the card's linear head/);
  });

  it("refuses a model whose bytes do not match the card's sha256", async () => {
    const model = scratchCopy(fixtureModel("tiny-visualcnn"));
    const cardPath = model.replace(/\.onnx$/, ".json");
    const card = JSON.parse(readFileSync(cardPath, "utf8")) as { sha256: string };
    card.sha256 = "0".repeat(64);
    writeFileSync(cardPath, JSON.stringify(card));
    expect(await refusal(model)).toMatch(/differs from the model card/);
  });

  it("refuses a model without a card", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "vccc-contract-"));
    const model = path.join(dir, "lonely.onnx");
    copyFileSync(fixtureModel("tiny-visualcnn"), model);
    expect(await refusal(model)).toMatch(/model card .* not found/);
  });
});
