/**
 * The classification stage of the image analysis: prediction, probabilities and the class
 * activation map of the predicted class, through the inference service. When the model file is
 * not installed the stage is skipped with its reason, and the rest of the analysis still runs.
 */
import { existsSync } from "node:fs";
import { mapToBytes } from "~/server/ccc/cam";
import type { Raster } from "~/server/ccc/raster";
import { classifyImages, type ModelSummary } from "~/server/inference/classify";
import { INPUT_SIZE } from "~/server/inference/onnx-contract";
import { DEFAULT_MODEL_NAME, resolveModelPath } from "~/server/inference/session-cache";
import { ImageAnalysisError } from "./image-analysis-error";

export type ClassificationOutcome =
  | {
      status: "classified";
      /** The model name or path asked for (recorded with the result). */
      modelRequested: string;
      model: ModelSummary;
      classIndex: number;
      prediction: string;
      /** Class name -> probability, in the model's class order. */
      probabilities: Record<string, number>;
      /** CAM of the predicted class as 8-bit codes (0..255 for 0..1), INPUT_SIZE x INPUT_SIZE. */
      cam: { data: Uint8Array; width: number; height: number };
    }
  | { status: "skipped"; reason: string };

/** The model used when a job does not name one: INFERENCE_MODEL, else the shipped default. */
export function configuredModel(): string {
  return process.env.INFERENCE_MODEL?.trim() || DEFAULT_MODEL_NAME;
}

/**
 * Classifies one decoded image. `model: null` skips the stage on purpose.
 * Model problems (a file that is there but broken) throw; an image the classifier cannot
 * prepare throws ImageAnalysisError.
 */
export async function classifyRaster(options: { raster: Raster; model: string | null }): Promise<ClassificationOutcome> {
  if (options.model === null) return { status: "skipped", reason: "classification not requested" };
  const modelPath = resolveModelPath(options.model);
  if (!existsSync(modelPath)) return { status: "skipped", reason: `no model (${modelPath} is not installed)` };

  const { model, results } = await classifyImages({
    model: modelPath,
    images: [{ name: "image", raster: options.raster }],
    cam: "predicted",
    batchSize: 1,
  });
  const result = results[0];
  if (!result) throw new Error("internal: the classifier returned no result");
  if (!result.ok) throw new ImageAnalysisError(`the classifier could not read the image: ${result.error}`, "unreadable");
  if (!result.cam) throw new Error("internal: the classifier returned no class activation map");
  const probabilities: Record<string, number> = {};
  model.classes.forEach((name, i) => {
    probabilities[name] = result.probabilities[i] ?? 0;
  });
  return {
    status: "classified",
    modelRequested: options.model,
    model,
    classIndex: result.classIndex,
    prediction: result.className,
    probabilities,
    cam: { data: mapToBytes(result.cam), width: INPUT_SIZE, height: INPUT_SIZE },
  };
}
