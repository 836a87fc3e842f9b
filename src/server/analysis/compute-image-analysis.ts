/**
 * Everything of an image analysis except the database write: load the image's bytes, decode,
 * classify (+ CAM), run the analysis pipeline, and store each map as an 8-bit single-channel
 * PNG blob. Blobs are content-addressed, so computing the same analysis twice (a retried job)
 * stores nothing new. The caller writes the row (upsertAnalysis), possibly in a transaction that
 * also records job progress.
 */
import { scaleToColormapIndex, type GreyImage } from "~/core/analysis";
import type { Db } from "~/server/db";
import { serverEnv } from "~/server/env";
import { decodeRaster, ImageDecodeError } from "~/server/codecs/decode-raster";
import { encodePng } from "~/server/codecs/encode-png";
import { BlobNotFoundError, type BlobStore } from "~/server/storage";
import type {
  AnalysisDescriptors,
  AnalysisMapKeys,
  ClusterStats,
  MapRef,
  StoredAnalysisParams,
} from "./analysis-record";
import { analysisCodeVersion } from "./analysis-record";
import { hashParams } from "./canonical-params";
import { ModelVersionUnavailableError, resolveClassifier } from "~/server/models/resolve-classifier";
import type { CamClass } from "./analysis-params-schema";
import { classifyRaster, type ClassificationOutcome, type ClassifierSpec } from "./classify-raster";
import { ImageAnalysisError } from "./image-analysis-error";
import { runAnalysis, type AnalysisParams, type AnalysisResult } from "./run-analysis";

/** A computed analysis, ready to be written as one Analysis row. */
export type ComputedImageAnalysis = {
  imageId: string;
  paramsHash: string;
  params: StoredAnalysisParams;
  codeVersion: string;
  modelVersionId: string | null;
  prediction: string | null;
  probabilities: Record<string, number> | null;
  mapKeys: AnalysisMapKeys;
  clusterStats: ClusterStats;
  descriptors: AnalysisDescriptors;
  /** Why there is no prediction, when classification was skipped. */
  classificationSkipped: string | null;
  /** Milliseconds per stage: load, decode, classify, the analysis steps, store, total. */
  timingsMs: Record<string, number>;
};

async function storeMap(store: BlobStore, image: GreyImage, encoding: MapRef["encoding"]): Promise<MapRef> {
  const png = await encodePng(image.data, image.width, image.height, 1);
  const { key } = await store.put(png);
  return { key, width: image.width, height: image.height, encoding };
}

function clusterStatsOf(result: AnalysisResult): ClusterStats {
  const stats: ClusterStats = {};
  for (const r of result.kmeans) {
    stats[String(r.requestedK)] = {
      requestedK: r.requestedK,
      k: r.k,
      method: r.method,
      centers: r.centers,
      standardizedCenters: r.standardizedCenters,
      counts: r.counts,
      areaPercent: r.areaPercent,
      inertia: r.inertia,
      standardizedInertia: r.standardizedInertia,
      mean: r.mean,
      std: r.std,
    };
  }
  return stats;
}

function descriptorsOf(result: AnalysisResult): AnalysisDescriptors {
  const mask = result.otsu.segmented.data;
  let foreground = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]! > 0) foreground++;
  const contrast = result.texture.contrast;
  let sum = 0;
  for (let i = 0; i < contrast.length; i++) sum += contrast[i]!;
  return {
    otsuThreshold: result.otsu.threshold,
    foregroundFraction: mask.length === 0 ? 0 : foreground / mask.length,
    meanContrast: contrast.length === 0 ? 0 : sum / contrast.length,
  };
}

/**
 * The classifier for a model reference: null (no classification), skipped (the file is not
 * installed), or a resolved file + head with its ModelVersion. A named version that cannot run
 * fails the image for good (retrying does not bring a deleted version back).
 */
async function classifierFor(options: {
  db: Db;
  store: BlobStore;
  projectId: string;
  model: string | null;
}): Promise<ClassifierSpec | { skipped: string } | null> {
  if (options.model === null) return null;
  try {
    const resolved = await resolveClassifier({
      db: options.db,
      store: options.store,
      projectId: options.projectId,
      model: options.model,
    });
    if (resolved.status === "not-installed") return { skipped: resolved.reason };
    return {
      ref: resolved.ref,
      backbonePath: resolved.backbonePath,
      modelVersionId: resolved.modelVersionId,
      head: resolved.head,
    };
  } catch (error) {
    if (error instanceof ModelVersionUnavailableError) {
      throw new ImageAnalysisError(`the chosen model cannot classify: ${error.message}`, "model-unavailable", {
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * Computes the analysis of one image of a project. Throws ImageAnalysisError for an image that
 * can never be analysed (gone, corrupt, unusable); other errors are transient (storage, model).
 */
export async function computeImageAnalysis(options: {
  db: Db;
  store: BlobStore;
  projectId: string;
  imageId: string;
  params: AnalysisParams;
  /**
   * Model name or path, or "version:<id>" for a model version of the project (model-ref.ts);
   * null skips classification.
   */
  model: string | null;
  /** The class the CAM explains. @default "predicted" */
  camClass?: CamClass;
}): Promise<ComputedImageAnalysis> {
  const { db, store, projectId, imageId, params } = options;
  const timingsMs: Record<string, number> = {};
  const start = performance.now();
  let last = start;
  const lap = (step: string) => {
    const now = performance.now();
    timingsMs[step] = now - last;
    last = now;
  };

  const image = await db.image.findFirst({
    where: { id: imageId, projectId },
    select: { id: true, blobKey: true },
  });
  if (!image) throw new ImageAnalysisError("the image no longer exists", "not-found");
  let bytes: Buffer;
  try {
    bytes = await store.get(image.blobKey);
  } catch (error) {
    if (error instanceof BlobNotFoundError)
      throw new ImageAnalysisError("the image file is missing from storage", "missing-file", {
        cause: error,
      });
    throw error;
  }
  lap("load");

  let raster;
  try {
    raster = await decodeRaster(bytes, { maxPixels: serverEnv().UPLOAD_MAX_PIXELS });
  } catch (error) {
    if (error instanceof ImageDecodeError) {
      throw new ImageAnalysisError(
        `cannot decode the image: ${error.message}`,
        error.reason === "too-large" ? "too-large" : "unreadable",
        { cause: error },
      );
    }
    throw error;
  }
  lap("decode");

  const classifier = await classifierFor({ db, store, projectId, model: options.model });
  const camClass = options.camClass ?? "predicted";
  const classification: ClassificationOutcome =
    classifier === null || "skipped" in classifier
      ? { status: "skipped", reason: classifier?.skipped ?? "classification not requested" }
      : await classifyRaster({ raster, model: classifier, camClass });
  lap("classify");

  let result: AnalysisResult;
  try {
    // The client colourises the 8-bit maps itself, so the RGBA renderings are not needed.
    result = runAnalysis(raster, params, { renderMaps: false });
  } catch (error) {
    if (error instanceof RangeError || error instanceof TypeError) {
      throw new ImageAnalysisError(`cannot analyse the image: ${error.message}`, "bad-dimensions", {
        cause: error,
      });
    }
    throw error;
  }
  for (const [step, ms] of Object.entries(result.timingsMs)) if (step !== "total") timingsMs[step] = ms;
  last = performance.now();

  const counts: GreyImage = {
    width: result.texture.width,
    height: result.texture.height,
    data: result.texture.pairCount,
  };
  const [grey, segmentation, contrast, ...clusterRefs] = await Promise.all([
    storeMap(store, result.grey, "grey"),
    storeMap(store, result.otsu.segmented, "mask"),
    storeMap(store, scaleToColormapIndex(counts, result.texture.pairsPerWindow), "colormap-index"),
    ...result.kmeans.map((r) => storeMap(store, r.labels, "labels")),
  ]);
  const clusters: AnalysisMapKeys["clusters"] = {};
  result.kmeans.forEach((r, i) => {
    clusters[String(r.requestedK)] = { ...clusterRefs[i]!, k: r.k };
  });
  const mapKeys: AnalysisMapKeys = {
    grey: grey,
    segmentation: segmentation,
    contrast: contrast,
    clusters,
  };
  if (classification.status === "classified") {
    const cam = await storeMap(store, classification.cam, "heat");
    mapKeys.cam = {
      ...cam,
      classIndex: classification.camClassIndex,
      className: classification.camClassName,
    };
  }
  lap("store");

  const storedParams: StoredAnalysisParams = {
    analysis: result.params,
    classifier:
      classification.status === "classified"
        ? {
            model: classification.modelRequested,
            sha256: classification.model.sha256,
            // Retrained heads are told apart by their version; built-in ones by sha256 alone,
            // so results stored before model versions keep their hash.
            ...(classification.retrainedHead && classification.modelVersionId
              ? { modelVersionId: classification.modelVersionId }
              : {}),
            ...(camClass === "predicted" ? {} : { camClass }),
          }
        : null,
  };
  const modelVersionId = classification.status === "classified" ? classification.modelVersionId : null;
  timingsMs.total = performance.now() - start;

  return {
    imageId,
    paramsHash: hashParams(storedParams),
    params: storedParams,
    codeVersion: analysisCodeVersion(),
    modelVersionId,
    prediction: classification.status === "classified" ? classification.prediction : null,
    probabilities: classification.status === "classified" ? classification.probabilities : null,
    mapKeys,
    clusterStats: clusterStatsOf(result),
    descriptors: descriptorsOf(result),
    classificationSkipped: classification.status === "skipped" ? classification.reason : null,
    timingsMs,
  };
}
