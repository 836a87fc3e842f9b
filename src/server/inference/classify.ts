/**
 * Batch classification (+ optional CAM) through the cached model sessions.
 *
 * Two entry points over the same core:
 * - classifyImages: encoded files (or decoded rasters) in; each image decoded and preprocessed on
 *   its own, so a corrupt file fails only its own entry; the rest run in batches.
 * - classifyPlanes: already preprocessed 256 x 256 planes in (the benchmark and the retraining
 *   feature extraction use it).
 * A custom (retrained) head replaces the model's own: probabilities and CAM both come from it.
 */
import "server-only";
import { classActivationMap, type FeatureMaps, jointActivationMaps } from "~/core/analysis/cam";
import type { Raster } from "~/core/analysis/raster";
import { stitchTileMaps, type Tile, type TileRect, weightedMean } from "~/core/analysis/tiles";
import { imageStatistics } from "~/core/analysis/uncertainty";
import { decodeRaster } from "~/server/codecs/decode-raster";

import { applyHead, argMax, headChannels, type LinearHead, softmax } from "./linear-head";
import {
  type ContractOutputs,
  INPUT_NAME,
  INPUT_PLANE,
  INPUT_SIZE,
  inputTensor,
  poolFeatures,
  readOutputs,
} from "./onnx-contract";
import { preprocessRaster, preprocessTiles } from "./preprocess";
import { getModel, type LoadedModel } from "./session-cache";

/** Softmax of a head's logits, the most probable class and its name (both classification paths). */
function predictionOf(logits: ArrayLike<number>, head: LinearHead) {
  const probabilities = Array.from(softmax(logits));
  const classIndex = argMax(probabilities);
  return { classIndex, className: head.classes[classIndex] ?? String(classIndex), probabilities };
}

export type CamRequest = "none" | "predicted" | { classIndex: number };

export type ClassifyPlanesOptions = {
  /** Model name in models/ or a path to a .onnx file. @default the shipped model */
  model?: string;
  /** 256 x 256 planes in [0, 1] (preprocess.ts). */
  planes: Float32Array[];
  /** A retrained head over this model's pooled features. @default the model's own head */
  head?: LinearHead;
  /** @default "none" */
  cam?: CamRequest;
  /** Images per ONNX Runtime run. @default 8 */
  batchSize?: number;
};

export type PlaneClassification = {
  classIndex: number;
  className: string;
  /** Per class, in the order of `classes`. */
  probabilities: number[];
  /** Global-average-pooled features (the retraining input). */
  pooledFeatures: Float32Array;
  /** 256 x 256 map in about [0, 1] (bicubic overshoot kept) for the requested class. */
  cam?: Float32Array;
  camClassIndex?: number;
};

export type ModelSummary = {
  name: string;
  version: string;
  sha256: string;
  provider: string;
  classes: string[];
};

function summary(model: LoadedModel, head: LinearHead): ModelSummary {
  return {
    name: model.card.name,
    version: model.card.version,
    sha256: model.sha256,
    provider: model.provider,
    classes: [...head.classes],
  };
}

/**
 * The model and the head its classifications use: the retrained `head` if given (it must fit the
 * model's pooled features: RangeError otherwise), else the model's own.
 */
async function loadModelAndHead(options: {
  model?: string;
  head?: LinearHead;
}): Promise<{ model: LoadedModel; head: LinearHead }> {
  const model = await getModel(options.model);
  const head = options.head ?? model.head;
  if (headChannels(head) !== model.shape.featureChannels) {
    throw new RangeError(
      `the head expects ${headChannels(head)} feature channels, model ${model.card.name} has ${model.shape.featureChannels}`,
    );
  }
  return { model, head };
}

function camClassFor(request: CamRequest, predicted: number, numClasses: number): number | undefined {
  if (request === "none") return undefined;
  if (request === "predicted") return predicted;
  if (!Number.isInteger(request.classIndex) || request.classIndex < 0 || request.classIndex >= numClasses) {
    throw new RangeError(`CAM class index ${request.classIndex} is outside 0..${numClasses - 1}`);
  }
  return request.classIndex;
}

/** Runs `planes` through the model, `batchSize` at a time; `each` reads plane i's outputs. */
async function forward(
  model: LoadedModel,
  planes: Float32Array[],
  batchSize: number,
  each: (output: ContractOutputs, indexInBatch: number) => void,
): Promise<void> {
  for (let start = 0; start < planes.length; start += batchSize) {
    const batch = planes.slice(start, start + batchSize);
    const stacked = new Float32Array(batch.length * INPUT_PLANE);
    batch.forEach((plane, i) => {
      if (plane.length !== INPUT_PLANE)
        throw new RangeError(`plane ${start + i} has ${plane.length} values, expected ${INPUT_PLANE}`);
      stacked.set(plane, i * INPUT_PLANE);
    });
    const output = readOutputs(
      await model.session.run({ [INPUT_NAME]: inputTensor(stacked, batch.length) }),
      batch.length,
      model.path,
    );
    for (let i = 0; i < batch.length; i++) each(output, i);
  }
}

/** Plane i's logits (the model's own, or the retrained head's over its pooled features) and features. */
function planeOutputs(
  output: ContractOutputs,
  i: number,
  head: LinearHead,
  ownHead: boolean,
): { logits: ArrayLike<number>; pooledFeatures: Float32Array; featureMaps: FeatureMaps } {
  const { featureChannels: channels, featureHeight: height, featureWidth: width, numClasses } = output.shape;
  const featureSize = channels * height * width;
  const pooledFeatures = poolFeatures(output.features, output.shape, i);
  return {
    logits: ownHead ? output.logits.subarray(i * numClasses, (i + 1) * numClasses) : applyHead(head, pooledFeatures),
    pooledFeatures,
    featureMaps: { channels, height, width, data: output.features.subarray(i * featureSize, (i + 1) * featureSize) },
  };
}

async function runPlanes(
  model: LoadedModel,
  planes: Float32Array[],
  head: LinearHead,
  ownHead: boolean,
  cam: CamRequest,
  batchSize: number,
): Promise<PlaneClassification[]> {
  const results: PlaneClassification[] = [];
  await forward(model, planes, batchSize, (output, i) => {
    const { logits, pooledFeatures, featureMaps } = planeOutputs(output, i, head, ownHead);
    const result: PlaneClassification = { ...predictionOf(logits, head), pooledFeatures };
    const { classIndex } = result;
    const camClass = camClassFor(cam, classIndex, head.classes.length);
    if (camClass !== undefined) {
      result.cam = classActivationMap(featureMaps, head.weights[camClass] ?? []);
      result.camClassIndex = camClass;
    }
    results.push(result);
  });
  return results;
}

export type TiledClassification = Omit<PlaneClassification, "pooledFeatures" | "cam"> & {
  /** The aggregated logits: the tiles' logits averaged with the tiles' weights. */
  logits: number[];
  /** The tiles' pooled features averaged the same way (the OOD score's input). */
  pooledFeatures: Float32Array;
  /**
   * The tiles' input-plane statistics (core/analysis/uncertainty.ts imageStatistics) averaged the
   * same way: the OOD score's image part, as the features part reads the averaged features.
   */
  planeStatistics: number[];
  /** The resized image (the model's scale) the tiles cover, and the tiles. */
  width: number;
  height: number;
  tiles: Tile[];
  /** Each tile's own logits, in the order of `tiles`. */
  tileLogits: number[][];
  /** width x height map for the requested class, stitched from the tiles' (jointly normalised) maps. */
  cam?: Float32Array;
};

/**
 * Classifies the whole image (or `area` of it, in resized pixels) by 256 x 256 tiles of the image
 * resized to the model's scale (preprocessTiles), all tiles in one batch. The logits are the
 * tiles' logits averaged with each tile's area inside the analysed area as weight: for a linear
 * head over global-average-pooled features that is the head applied to the mean of the tiles'
 * pooled features, i.e. one global average pool over the whole image when tiles do not overlap.
 * The CAM (of the aggregated prediction unless a class is asked for) is stitched from the tiles'.
 */
export async function classifyTiles(options: {
  model?: string;
  head?: LinearHead;
  raster: Raster;
  area?: TileRect;
  /** @default "none" */
  cam?: CamRequest;
}): Promise<{ model: ModelSummary; result: TiledClassification }> {
  const { model, head } = await loadModelAndHead(options);
  const ownHead = options.head === undefined;
  const { width, height, tiles, planes } = preprocessTiles(options.raster, options.area);
  const outputs: ReturnType<typeof planeOutputs>[] = [];
  await forward(model, planes, planes.length, (output, i) => outputs.push(planeOutputs(output, i, head, ownHead)));
  const weights = tiles.map((tile) => tile.weight);
  const logits = Array.from(
    weightedMean(
      outputs.map((o) => o.logits),
      weights,
    ),
  );
  const prediction = predictionOf(logits, head);
  const { classIndex } = prediction;
  const result: TiledClassification = {
    ...prediction,
    logits,
    pooledFeatures: Float32Array.from(
      weightedMean(
        outputs.map((o) => o.pooledFeatures),
        weights,
      ),
    ),
    planeStatistics: Array.from(
      weightedMean(
        planes.map((plane) => imageStatistics(plane, INPUT_SIZE)),
        weights,
      ),
    ),
    width,
    height,
    tiles,
    tileLogits: outputs.map((o) => Array.from(o.logits)),
  };
  const camClass = camClassFor(options.cam ?? "none", classIndex, head.classes.length);
  if (camClass !== undefined) {
    const maps = jointActivationMaps(
      outputs.map((o) => o.featureMaps),
      head.weights[camClass] ?? [],
      { outputSize: INPUT_SIZE },
    );
    result.cam = stitchTileMaps(tiles, maps, width, height);
    result.camClassIndex = camClass;
  }
  return { model: summary(model, head), result };
}

/** Classifies preprocessed planes; throws on a bad model (ModelContractError) or bad planes. */
export async function classifyPlanes(
  options: ClassifyPlanesOptions,
): Promise<{ model: ModelSummary; results: PlaneClassification[] }> {
  const { model, head } = await loadModelAndHead(options);
  const results = await runPlanes(
    model,
    options.planes,
    head,
    options.head === undefined,
    options.cam ?? "none",
    options.batchSize ?? 8,
  );
  return { model: summary(model, head), results };
}

export type ImageInput = { name: string; bytes: Uint8Array } | { name: string; raster: Raster };

export type ImageClassification =
  ({ name: string; ok: true; crop: Float32Array } & PlaneClassification) | { name: string; ok: false; error: string };

export type ClassifyImagesOptions = Omit<ClassifyPlanesOptions, "planes"> & {
  images: ImageInput[];
  /** Decompression-bomb guard passed to the decoder. */
  maxPixels?: number;
};

/**
 * Classifies encoded images (or rasters). Each result is either a classification with its
 * display crop (the 256 x 256 input plane) or `{ ok: false, error }` for an image that could not
 * be decoded; one bad image never fails the batch. Model problems do throw.
 */
export async function classifyImages(
  options: ClassifyImagesOptions,
): Promise<{ model: ModelSummary; results: ImageClassification[] }> {
  const { model, head } = await loadModelAndHead(options);
  const batchSize = options.batchSize ?? 8;
  const results: ImageClassification[] = [];
  for (let start = 0; start < options.images.length; start += batchSize) {
    const chunk = options.images.slice(start, start + batchSize);
    const prepared = await Promise.all(
      chunk.map(async (image): Promise<{ name: string; plane: Float32Array } | { name: string; error: string }> => {
        try {
          const raster =
            "raster" in image ? image.raster : await decodeRaster(image.bytes, { maxPixels: options.maxPixels });
          return { name: image.name, plane: preprocessRaster(raster) };
        } catch (error) {
          return { name: image.name, error: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
    const good = prepared.filter((p): p is { name: string; plane: Float32Array } => "plane" in p);
    const classified = await runPlanes(
      model,
      good.map((p) => p.plane),
      head,
      options.head === undefined,
      options.cam ?? "none",
      batchSize,
    );
    let next = 0;
    for (const entry of prepared) {
      if ("error" in entry) {
        results.push({ name: entry.name, ok: false, error: entry.error });
      } else {
        const classification = classified[next++];
        if (!classification) throw new Error("internal: fewer classifications than images");
        results.push({ name: entry.name, ok: true, crop: entry.plane, ...classification });
      }
    }
  }
  return { model: summary(model, head), results };
}
