/** Paths of the committed SAM 2 probe pair and its broken variants (tests/fixtures/sam2). */
import path from "node:path";

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
