/**
 * The model card: the JSON file beside each ONNX file in models/ (same base name). It says what
 * the model is (name, version, sha256 of the .onnx), what it predicts (classes, linear head), how
 * inputs are prepared, how it was trained and on what, how well it does, its limits and licence.
 */
import "server-only";
import { readFile } from "node:fs/promises";

import { z } from "zod";

import { linearHeadJsonSchema } from "./linear-head";

export const modelCardSchema = z.object({
  name: z.string().min(1),
  version: z.string().min(1),
  /** File name of the ONNX model, relative to the card. */
  file: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lower-case hex digits"),
  architecture: z.string().min(1),
  contract: z.record(z.string(), z.unknown()).optional(),
  classes: z.array(z.string().min(1)).min(2),
  /** The network's own linear head (logits = weights @ mean(features) + bias): CAM needs it. */
  head: z.object({ weights: z.array(z.array(z.number().finite())), bias: z.array(z.number().finite()) }),
  preprocessing: z
    .object({
      resizeShorterSideTo: z.literal(307),
      centerCrop: z.literal(256),
      antialias: z.literal(true),
      normalisation: z.literal("none"),
    })
    .passthrough(),
  training: z.record(z.string(), z.unknown()),
  metrics: z.record(z.string(), z.unknown()),
  knownLimits: z.array(z.string()),
  licence: z.string().min(1),
});
export type ModelCard = z.infer<typeof modelCardSchema>;

export class ModelCardError extends Error {
  override readonly name = "ModelCardError";
}

/** The card's path for a model file: models/foo.onnx -> models/foo.json. */
export function cardPathFor(onnxPath: string): string {
  return onnxPath.replace(/\.onnx$/i, "") + ".json";
}

/** Reads and validates the card beside `onnxPath`; the error names the file and the bad fields. */
export async function readModelCard(onnxPath: string): Promise<ModelCard> {
  const path = cardPathFor(onnxPath);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new ModelCardError(`model card ${path} not found: every model file needs its JSON card beside it`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ModelCardError(
      `model card ${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const parsed = modelCardSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new ModelCardError(`model card ${path} is invalid: ${issues}`);
  }
  const head = linearHeadJsonSchema.safeParse({ classes: parsed.data.classes, ...parsed.data.head });
  if (!head.success) {
    throw new ModelCardError(
      `model card ${path} has an inconsistent head: ${head.error.issues.map((i) => i.message).join("; ")}`,
    );
  }
  return parsed.data;
}
