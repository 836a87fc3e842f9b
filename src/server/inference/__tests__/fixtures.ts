/** Paths of the committed inference fixtures (tests/fixtures/inference, made by training/make_fixtures.py). */
import { readFileSync } from "node:fs";
import path from "node:path";

export const repoRoot = path.resolve(__dirname, "../../../..");
export const fixtureDir = path.join(repoRoot, "tests/fixtures/inference");
export const sharedDir = path.resolve(repoRoot, "../shared");

export type InferenceFixture = "tiny-visualcnn" | "contract-wrong-names" | "contract-rgb-input";

export function fixtureModel(name: InferenceFixture): string {
  return path.join(fixtureDir, `${name}.onnx`);
}

export function readFloat32(file: string): Float32Array {
  const bytes = readFileSync(path.join(fixtureDir, file));
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}

/** The synthetic CAM input as the contract plane (bytes / 255) and as raw grey bytes. */
export function camInput(): { plane: Float32Array; bytes: Uint8Array } {
  const bytes = new Uint8Array(readFileSync(path.join(fixtureDir, "cam-input.u8")));
  return { plane: Float32Array.from(bytes, (v) => v / 255), bytes };
}
