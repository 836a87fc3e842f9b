import { afterAll, describe, expect, it } from "vitest";

import { encodePng } from "~/server/codecs/encode-png";

import { classifyImages, classifyPlanes } from "../classify";
import { releaseModels } from "../session-cache";
import { camInput, fixtureModel } from "./fixtures";

afterAll(releaseModels);

describe("batch classification", () => {
  it("fails a corrupt image on its own and classifies the rest as if alone", async () => {
    const { bytes } = camInput();
    const png = await encodePng(bytes, 256, 256, 1);
    const flipped = await encodePng(
      Uint8Array.from(bytes, (v) => 255 - v),
      256,
      256,
      1,
    );
    const truncated = png.subarray(0, Math.floor(png.length / 2));
    const model = fixtureModel("tiny-visualcnn");
    const { results } = await classifyImages({
      model,
      batchSize: 3,
      images: [
        { name: "good.png", bytes: png },
        { name: "truncated.png", bytes: truncated },
        { name: "noise.bin", bytes: Uint8Array.from({ length: 500 }, (_, i) => (i * 37) % 251) },
        { name: "inverted.png", bytes: flipped },
      ],
    });
    expect(results.map((r) => [r.name, r.ok])).toEqual([
      ["good.png", true],
      ["truncated.png", false],
      ["noise.bin", false],
      ["inverted.png", true],
    ]);
    const failed = results.filter((r) => !r.ok);
    for (const f of failed) if (!f.ok) expect(f.error.length).toBeGreaterThan(5);

    const alone = await classifyImages({ model, images: [{ name: "inverted.png", bytes: flipped }] });
    const inBatch = results[3];
    const single = alone.results[0];
    if (!inBatch?.ok || !single?.ok) throw new Error("expected classifications");
    inBatch.probabilities.forEach((p, i) => expect(p).toBeCloseTo(single.probabilities[i] ?? NaN, 6));
  });

  it("gives the same answer for a PNG of the plane as for the plane itself", async () => {
    const { bytes, plane } = camInput();
    // 256 x 256 -> the reference resizes to 307 and crops back: not the identity, so compare
    // against the plane that the preprocessing produces, through both entry points.
    const png = await encodePng(bytes, 256, 256, 1);
    const viaImage = await classifyImages({
      model: fixtureModel("tiny-visualcnn"),
      images: [{ name: "x", bytes: png }],
    });
    const first = viaImage.results[0];
    if (!first?.ok) throw new Error("expected a classification");
    const viaPlane = await classifyPlanes({ model: fixtureModel("tiny-visualcnn"), planes: [first.crop] });
    expect(viaPlane.results[0]?.probabilities[0]).toBeCloseTo(first.probabilities[0] ?? NaN, 6);
    expect(plane.length).toBe(first.crop.length);
  });

  it("uses a custom head for both probabilities and CAM", async () => {
    const { plane } = camInput();
    const head = {
      classes: ["x", "y", "z"],
      weights: [new Float32Array(16).fill(0), new Float32Array(16).fill(1), new Float32Array(16).fill(-1)],
      bias: Float32Array.from([0, 0, 0]),
    };
    const { results, model } = await classifyPlanes({
      model: fixtureModel("tiny-visualcnn"),
      planes: [plane],
      head,
      cam: "predicted",
    });
    expect(model.classes).toEqual(["x", "y", "z"]);
    expect(results[0]?.probabilities).toHaveLength(3);
    // features are post-ReLU (>= 0), so all-ones weights win and their CAM is non-zero
    expect(results[0]?.className).toBe("y");
    expect(Math.max(...(results[0]?.cam ?? []))).toBeGreaterThan(0.5);
  });
});
