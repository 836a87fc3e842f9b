/**
 * Issue 17 item 2, done when: an image of pure noise and a flat grey image come out "uncertain",
 * not a class at 99 %. Real ONNX Runtime with the shipped model and its calibration
 * (models/<model>.calibration.json, scripts/calibration/); skipped where the model is not installed.
 */
import { existsSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import type { Raster } from "~/core/analysis/raster";
import { decideUncertainty } from "~/core/analysis/uncertainty";
import { DEFAULT_UNCERTAINTY_SETTINGS } from "~/core/settings/analysis-settings";
import { calibrationPathFor } from "~/server/inference/calibration";
import { releaseModels, resolveModelPath } from "~/server/inference/session-cache";
import { classifyRasters } from "../classify-raster";

afterAll(releaseModels);

const shipped = resolveModelPath();
const installed = existsSync(shipped) && existsSync(calibrationPathFor(shipped));

function grey(width: number, height: number, value: (i: number) => number): Raster {
  return {
    width,
    height,
    channels: 1,
    bitDepth: 8,
    data: Uint8Array.from({ length: width * height }, (_, i) => value(i)),
  };
}

/** Uniform 8-bit noise from a fixed linear congruential sequence. */
function noise(width: number, height: number, seed: number): Raster {
  let state = seed >>> 0;
  return grey(width, height, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state >>> 24;
  });
}

describe.skipIf(!installed)("uncertain images with the shipped model", () => {
  const cases: [string, Raster][] = [
    ["uniform noise", noise(640, 480, 7)],
    ["uniform noise, square", noise(512, 512, 11)],
    ["flat grey 128", grey(640, 480, () => 128)],
    ["flat black", grey(512, 512, () => 0)],
    ["flat white", grey(512, 512, () => 255)],
  ];

  // Both classification modes: the tiles' OOD score reads their averaged features and plane statistics.
  it.each(
    cases.flatMap(([name, raster]) => (["centre-crop", "tiles"] as const).map((mode) => [name, mode, raster] as const)),
  )("%s (%s) comes out uncertain, with the reason", async (_name, classification, raster) => {
    const [outcome] = await classifyRasters({ rasters: [raster], model: shipped, classification });
    if (!outcome || !("status" in outcome) || outcome.status !== "classified") throw new Error("not classified");
    const calibration = outcome.calibration;
    expect(calibration?.temperature).toBeGreaterThan(0);
    expect(calibration?.oodScore).toBeTypeOf("number");
    const decision = decideUncertainty(
      { confidence: outcome.probabilities[outcome.prediction] ?? null, ...calibration },
      DEFAULT_UNCERTAINTY_SETTINGS,
    );
    expect(decision.uncertain).toBe(true);
    expect(decision.reason).toMatch(/unlike the training images \(OOD score [\d.]+ > [\d.]+\)|low confidence/);
  });
});
