/**
 * A model's calibration: the sidecar `<model>.calibration.json` beside the .onnx file (written by
 * scripts/calibration/calibrate.sh from held-out synthetic images): the temperature of its logits
 * and the OOD model of its pooled features (core/analysis/uncertainty.ts). A model without one
 * (or whose file no longer matches it) is used uncalibrated: T = 1 and no OOD score.
 */
import "server-only";
import { readFile } from "node:fs/promises";

import { z } from "zod";

import {
  OOD_THRESHOLD,
  oodModelSchema,
  oodScore,
  temperatureSoftmax,
  type OodModel,
} from "~/core/analysis/uncertainty";

import { INPUT_SIZE } from "./onnx-contract";

export const calibrationSchema = z.object({
  model: z.string().min(1),
  /** The .onnx file it was fitted for: a different file ignores it. */
  modelSha256: z.string().regex(/^[0-9a-f]{64}$/),
  temperature: z.number().positive(),
  metrics: z.record(z.string(), z.unknown()),
  ood: oodModelSchema,
});
export type Calibration = z.infer<typeof calibrationSchema>;

/** models/foo.onnx -> models/foo.calibration.json */
export function calibrationPathFor(onnxPath: string): string {
  return onnxPath.replace(/\.onnx$/i, "") + ".calibration.json";
}

const cache = new Map<string, Promise<Calibration | null>>();

async function read(onnxPath: string): Promise<Calibration | null> {
  let text: string;
  try {
    text = await readFile(calibrationPathFor(onnxPath), "utf8");
  } catch {
    return null;
  }
  const parsed = calibrationSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new Error(
      `${calibrationPathFor(onnxPath)} is invalid: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  }
  return parsed.data;
}

/** The calibration of the model file at `onnxPath` with hash `sha256`, or null (uncalibrated). */
export async function loadCalibration(onnxPath: string, sha256: string): Promise<Calibration | null> {
  let entry = cache.get(onnxPath);
  if (!entry) cache.set(onnxPath, (entry = read(onnxPath)));
  const calibration = await entry;
  return calibration && calibration.modelSha256 === sha256 ? calibration : null;
}

/** What calibration adds to one classification. */
export type CalibratedClassification = {
  /** Calibrated class probabilities, in the head's class order. */
  probabilities: number[];
  /** The temperature applied (1: none). */
  temperature: number;
  /** OOD score (features and input plane) and its threshold; null without an OOD model. */
  oodScore: number | null;
  oodThreshold: number | null;
};

/**
 * Calibrates one classification from what the classifier already computed (its softmax
 * probabilities, pooled features and input plane; no second forward pass). The temperature is the network's
 * own head's: a retrained head keeps its probabilities (T = 1). The OOD score is about the
 * backbone's features, so it holds for any head.
 */
export function calibrateClassification(
  calibration: Calibration | null,
  result: {
    probabilities: readonly number[];
    pooledFeatures: ArrayLike<number>;
    crop?: Float32Array;
    /** The tiles mode: the tiles' input-plane statistics, averaged (inference/classify.ts classifyTiles). */
    planeStatistics?: readonly number[];
  },
  ownHead: boolean,
): CalibratedClassification {
  const temperature = calibration && ownHead ? calibration.temperature : 1;
  // log p = logits - logsumexp(logits): the same softmax(. / T) as the logits themselves.
  const logits = result.probabilities.map((p) => Math.log(Math.max(p, Number.MIN_VALUE)));
  const ood: OodModel | null = calibration?.ood ?? null;
  return {
    probabilities: temperature === 1 ? [...result.probabilities] : temperatureSoftmax(logits, temperature),
    temperature,
    oodScore:
      ood && ood.features.classMeans[0]?.length === result.pooledFeatures.length
        ? oodScore(
            {
              features: result.pooledFeatures,
              plane: result.crop,
              side: INPUT_SIZE,
              statistics: result.planeStatistics,
            },
            ood,
          )
        : null,
    oodThreshold: ood ? OOD_THRESHOLD : null,
  };
}
