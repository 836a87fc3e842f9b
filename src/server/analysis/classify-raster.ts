/**
 * The classification stage of the image analysis: prediction, probabilities and the class
 * activation map (of the predicted class, or of a chosen one), through the inference service.
 * The classifier is a model file with its own head, or a model version: a model file plus a
 * retrained head that replaces the network's linear layer for both the logits and the CAM
 * (CAM_c = sum_k w_ck * features_k with the head's weights). When the model file is not
 * installed the stage is skipped with its reason, and the rest of the analysis still runs.
 */
import { existsSync } from "node:fs";
import { analysedAreaProblems, type AnalysedArea } from "~/core/analysed-area/analysed-area";
import { assertRaster, type Raster } from "~/core/analysis/raster";
import { type Calibration, calibrateClassification, loadCalibration } from "~/server/inference/calibration";
import { classifyImages, type ModelSummary } from "~/server/inference/classify";
import type { LinearHead } from "~/server/inference/linear-head";
import type { HeadFeatures } from "~/server/inference/retrain-head";
import { serverEnv } from "~/server/env";
import { INPUT_SIZE } from "~/server/inference/onnx-contract";
import { DEFAULT_MODEL_NAME, resolveModelPath } from "~/server/inference/session-cache";
import type { CamClass } from "./analysis-params-schema";
import type { ClassificationMode } from "~/core/settings/analysis-settings";
import { classifyTiledRaster, framedCentreCropCam, type FramedCam } from "./classify-framed";
import { classifyWithFeatureHead } from "./classify-feature-head";
import { ImageAnalysisError } from "./image-analysis-error";

export type ClassificationOutcome =
  | {
      status: "classified";
      /** The model reference asked for (recorded with the result). */
      modelRequested: string;
      model: ModelSummary;
      /** The ModelVersion that classified, when the caller named one. */
      modelVersionId: string | null;
      /** Whether a retrained head replaced the network's own. */
      retrainedHead: boolean;
      classIndex: number;
      prediction: string;
      /** Class name -> calibrated probability, in the model's class order. */
      probabilities: Record<string, number>;
      /** The temperature applied and the OOD score (server/inference/calibration.ts). */
      calibration?: { temperature: number; oodScore: number | null; oodThreshold: number | null };
      /** The class the CAM explains (the predicted one unless another was asked for). */
      camClassIndex: number;
      camClassName: string;
      /**
       * CAM as 8-bit codes (0..255 for 0..1) in resized pixels, with its frame over the image
       * (cam-frame.ts): INPUT_SIZE x INPUT_SIZE over the centre crop, or over the analysed area in
       * the tiles mode. Absent for a head that reads measured descriptors only (no CNN part to explain).
       */
      cam?: FramedCam;
    }
  | { status: "skipped"; reason: string };

/** A classifier already resolved to a file (+ head) by the models service. */
export type ClassifierSpec = {
  /** The reference recorded with the result. */
  ref: string;
  backbonePath: string;
  modelVersionId: string | null;
  /** A retrained head; absent: the network's own. */
  head?: LinearHead;
  /** What the retrained head reads when it is more than the pooled CNN features (classify-feature-head.ts). */
  headFeatures?: HeadFeatures;
};

/** The model used when a job does not name one: INFERENCE_MODEL, else the shipped default. */
export function configuredModel(): string {
  return serverEnv().INFERENCE_MODEL || DEFAULT_MODEL_NAME;
}

/**
 * Classifies decoded images with one model, in ONNX Runtime batches: each image's outcome is the
 * one it gets alone (the network sees each image on its own; batching changes no number). An image the classifier cannot prepare gets its ImageAnalysisError in its
 * place; problems of the model or of the CAM class throw for all.
 */
export async function classifyRasters(options: {
  rasters: Raster[];
  model: string | ClassifierSpec | null;
  /** @default "predicted" */
  camClass?: CamClass;
  /** Images per ONNX Runtime run (centre-crop mode; the tiles mode runs one image's tiles at once). @default 8 */
  batchSize?: number;
  /**
   * "centre-crop": the network sees the 256 x 256 centre crop of the resized image (the
   * reference); "tiles": the analysed area by tiles (classify-framed.ts). @default "centre-crop"
   */
  classification?: ClassificationMode;
  /**
   * The tiles mode: each raster's analysed area (its px; null or absent: the whole image), in the
   * order of `rasters`. The centre crop ignores it (the reference's crop, whatever the image holds).
   */
  analysedAreas?: readonly (AnalysedArea | null)[];
}): Promise<(ClassificationOutcome | ImageAnalysisError)[]> {
  const skipped = (reason: string) => options.rasters.map((): ClassificationOutcome => ({ status: "skipped", reason }));
  if (options.model === null) return skipped("classification not requested");
  const spec: ClassifierSpec =
    typeof options.model === "string"
      ? { ref: options.model, backbonePath: resolveModelPath(options.model), modelVersionId: null }
      : options.model;
  if (!existsSync(spec.backbonePath)) return skipped(`no model (${spec.backbonePath} is not installed)`);
  const camClass = options.camClass ?? "predicted";
  const classCount = spec.head?.classes.length;
  if (camClass !== "predicted" && classCount !== undefined && camClass >= classCount) {
    throw new ImageAnalysisError(
      `CAM class ${camClass} does not exist: the classifier has ${classCount} classes`,
      "model-unavailable",
    );
  }

  const tiles = options.classification === "tiles";
  const areaOf = (i: number) => options.analysedAreas?.[i] ?? null;
  if (spec.head && spec.headFeatures) {
    return classifyWithFeatureHead(
      { ...spec, head: spec.head, headFeatures: spec.headFeatures },
      options.rasters,
      camClass,
      tiles ? { areas: options.rasters.map((_, i) => areaOf(i)) } : null,
    );
  }

  if (tiles) return classifyRastersByTiles(spec, options.rasters, camClass, areaOf);

  let classified;
  try {
    classified = await classifyImages({
      model: spec.backbonePath,
      images: options.rasters.map((raster, i) => ({ name: String(i), raster })),
      head: spec.head,
      cam: camClass === "predicted" ? "predicted" : { classIndex: camClass },
      batchSize: options.batchSize ?? 8,
    });
  } catch (error) {
    throw camClassError(error, camClass);
  }
  const { model, results } = classified;
  const calibration = await loadCalibration(spec.backbonePath, model.sha256);
  if (results.length !== options.rasters.length) throw new Error("internal: the classifier returned no result");
  return results.map((result, i): ClassificationOutcome | ImageAnalysisError => {
    if (!result.ok)
      return new ImageAnalysisError(`the classifier could not read the image: ${result.error}`, "unreadable");
    if (!result.cam || result.camClassIndex === undefined)
      throw new Error("internal: the classifier returned no class activation map");
    return classifiedOutcome(
      spec,
      model,
      calibration,
      result,
      result.camClassIndex,
      framedCentreCropCam(result.cam, INPUT_SIZE, options.rasters[i]!),
    );
  });
}

/** The network's own head is only known once loaded: a CAM class index beyond it lands here. */
function camClassError(error: unknown, camClass: CamClass): unknown {
  if (error instanceof RangeError && /CAM class index/.test(error.message)) {
    return new ImageAnalysisError(
      `CAM class ${String(camClass)} does not exist for this classifier`,
      "model-unavailable",
      {
        cause: error,
      },
    );
  }
  return error;
}

/** What the classifier returns for one image, before calibration. */
export type UncalibratedClassification = {
  classIndex: number;
  className: string;
  probabilities: number[];
  pooledFeatures: Float32Array;
  /** The centre crop's input plane, or the tiles' plane statistics: the OOD score's image part. */
  crop?: Float32Array;
  planeStatistics?: readonly number[];
};

/** A classified outcome from the classifier's result (calibrated here) and its CAM. */
function classifiedOutcome(
  spec: ClassifierSpec,
  model: ModelSummary,
  calibration: Calibration | null,
  result: UncalibratedClassification,
  camClassIndex: number,
  cam: FramedCam,
): ClassificationOutcome {
  const { probabilities: calibrated, ...calibrationInfo } = calibrateClassification(
    calibration,
    result,
    spec.head === undefined,
  );
  const probabilities: Record<string, number> = {};
  model.classes.forEach((name, i) => {
    probabilities[name] = calibrated[i] ?? 0;
  });
  return {
    status: "classified",
    modelRequested: spec.ref,
    model,
    modelVersionId: spec.modelVersionId,
    retrainedHead: spec.head !== undefined,
    classIndex: result.classIndex,
    prediction: result.className,
    probabilities,
    calibration: calibrationInfo,
    camClassIndex,
    camClassName: model.classes[camClassIndex] ?? String(camClassIndex),
    cam,
  };
}

/**
 * The tiles mode: each image classified from the tiles over its analysed area (one ONNX Runtime
 * run per image). Calibration as for the centre crop: the temperature applies to the aggregated
 * logits (a softmax(logits / T) needs only the probabilities, calibration.ts), the OOD score reads
 * the aggregated pooled features (without the input-plane part, which is defined on one 256 x 256
 * plane).
 */
async function classifyRastersByTiles(
  spec: ClassifierSpec,
  rasters: Raster[],
  camClass: CamClass,
  areaOf: (index: number) => AnalysedArea | null,
): Promise<(ClassificationOutcome | ImageAnalysisError)[]> {
  const outcomes: (ClassificationOutcome | ImageAnalysisError)[] = [];
  for (const [i, raster] of rasters.entries()) {
    try {
      assertRaster(raster);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      outcomes.push(new ImageAnalysisError(`the classifier could not read the image: ${message}`, "unreadable"));
      continue;
    }
    const area = areaOf(i);
    const problems = area ? analysedAreaProblems(area, raster) : [];
    if (problems.length > 0) {
      outcomes.push(
        new ImageAnalysisError(`the analysed area does not fit the image: ${problems[0]}`, "bad-dimensions"),
      );
      continue;
    }
    let classified;
    try {
      classified = await classifyTiledRaster({
        backbonePath: spec.backbonePath,
        head: spec.head,
        raster,
        analysedArea: area,
        cam: camClass === "predicted" ? "predicted" : { classIndex: camClass },
      });
    } catch (error) {
      throw camClassError(error, camClass);
    }
    const { model, result, cam } = classified;
    if (!cam || result.camClassIndex === undefined)
      throw new Error("internal: the classifier returned no class activation map");
    const calibration = await loadCalibration(spec.backbonePath, model.sha256);
    outcomes.push(classifiedOutcome(spec, model, calibration, result, result.camClassIndex, cam));
  }
  return outcomes;
}
