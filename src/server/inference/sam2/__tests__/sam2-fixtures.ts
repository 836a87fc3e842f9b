/** Paths of the committed SAM 2 probe pair and its broken variants (tests/fixtures/sam2). */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { releaseModels } from "~/server/inference/session-cache";
import { closeHeavyWorkPool } from "~/server/workers/heavy-pool";
import { installSam2Model } from "../install-sam2-model";

export const repoRoot = path.resolve(__dirname, "../../../../..");
export const SAM2_FIXTURES = path.join(repoRoot, "tests/fixtures/sam2");
/** The probe model's folder: encoder.onnx, decoder.onnx and its card (installed as it is). */
export const PROBE_DIR = path.join(SAM2_FIXTURES, "probe");

export function probeFile(which: "encoder" | "decoder"): string {
  return path.join(PROBE_DIR, `${which}.onnx`);
}

export function brokenFile(
  name: "not-onnx" | "encoder-wrong-output-name" | "encoder-wrong-embed-shape" | "decoder-embed-128-channels",
): string {
  return path.join(SAM2_FIXTURES, "broken", `${name}.onnx`);
}

/**
 * Installs the probe as "probe" into a fresh models folder that SAM2_MODELS_DIR points at for the
 * file's tests, and releases the models and the heavy-work pool after them. Returns the folder.
 */
export function installProbeForFile(): { modelsDir: () => string } {
  let modelsDir = "";
  beforeAll(async () => {
    modelsDir = mkdtempSync(path.join(tmpdir(), "vccc-sam2-models-"));
    await installSam2Model({ source: PROBE_DIR, name: "probe", directory: modelsDir });
    process.env.SAM2_MODELS_DIR = modelsDir;
  });
  afterAll(async () => {
    delete process.env.SAM2_MODELS_DIR;
    await closeHeavyWorkPool();
    await releaseModels();
  });
  return { modelsDir: () => modelsDir };
}
