/**
 * Retraining, the compute half (no rows written): pooled features of the labelled images through
 * the persistent feature cache, in chunks so the job can report "features n / total" and stop
 * when cancelled; then retrainHead (grouped k-fold metrics + the final head on every image), and
 * the head stored as a JSON blob. The metrics keep each image's out-of-fold prediction, so the
 * Models panel can list the images behind a confusion-matrix cell. The job handler writes the
 * ModelVersion row.
 */
import type { FeatureCache } from "~/server/inference/feature-cache";
import { computeDescriptorFeatures } from "~/server/inference/descriptor-features";
import type { FeatureSet } from "~/server/inference/feature-set-head";
import { computePooledFeatures } from "~/server/inference/pooled-features";
import {
  retrainHead,
  type LabelledImage,
  type RetrainedHead,
  type RetrainHeadResult,
} from "~/server/inference/retrain-head";
import { BlobNotFoundError, type BlobStore } from "~/server/storage";
import { AppError } from "~/server/errors";
import { MIN_CLASSES, MIN_IMAGES_PER_CLASS, type TrainingSetSummary } from "./collect-training-set";
import type { RetrainMetrics } from "./model-version-metrics";

export type TrainProgress =
  { phase: "features"; done: number; total: number } | { phase: "training"; done: number; total: number };

export type TrainedHead = {
  head: RetrainedHead;
  headBlobKey: string;
  metrics: Omit<RetrainMetrics, "datasetId">;
  /** imageId -> class name of every image trained on. */
  labelSnapshot: Record<string, string>;
};

export async function trainHeadFromLabels(options: {
  store: BlobStore;
  backbonePath: string;
  set: TrainingSetSummary;
  featureCache: FeatureCache;
  /** Called after each chunk; return false to stop (the run was cancelled). */
  onProgress?: (progress: TrainProgress) => Promise<boolean>;
  /** Images per forward-pass chunk (and progress step). @default 8 */
  chunkSize?: number;
  /** Grouped k-fold with this many folds. @default leave-one-group-out when groups hold several images, else 5-fold */
  folds?: number;
  /** What the head reads. @default "cnn" */
  features?: FeatureSet;
}): Promise<TrainedHead | { stopped: true }> {
  const { store, set, featureCache } = options;
  const chunkSize = options.chunkSize ?? 8;
  const features = options.features ?? "cnn";
  const started = performance.now();
  const total = set.images.length;
  const skipped = [...set.excluded];
  const usable: (LabelledImage & { imageId: string })[] = [];
  let computed = 0;
  let cached = 0;

  for (let start = 0; start < total; start += chunkSize) {
    const chunk = set.images.slice(start, start + chunkSize);
    const loaded: (LabelledImage & { imageId: string })[] = [];
    for (const image of chunk) {
      try {
        const bytes = await store.get(image.blobKey);
        loaded.push({
          imageId: image.imageId,
          name: image.imageId,
          bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
          label: image.label,
          group: image.group,
        });
      } catch (error) {
        if (!(error instanceof BlobNotFoundError)) throw error;
        skipped.push({
          imageId: image.imageId,
          fileName: image.fileName,
          reason: "the image file is missing from storage",
        });
      }
    }
    // The network's features and/or the descriptors, into the cache retrainHead reads from.
    const pooled =
      features === "descriptors"
        ? null
        : await computePooledFeatures({ model: options.backbonePath, images: loaded, cache: featureCache });
    const measured =
      features === "cnn" ? null : await computeDescriptorFeatures({ images: loaded, cache: featureCache });
    const hits = pooled?.cacheHits ?? measured?.cacheHits ?? 0;
    cached += hits;
    loaded.forEach((image, i) => {
      const failed = [pooled?.entries[i], measured?.entries[i]].find((e) => e !== undefined && !e.ok);
      if (failed && !failed.ok)
        skipped.push({
          imageId: image.imageId,
          fileName: chunk.find((c) => c.imageId === image.imageId)?.fileName ?? image.name,
          reason: failed.error,
        });
      else usable.push(image);
    });
    computed = usable.length - cached;
    if (
      options.onProgress &&
      !(await options.onProgress({ phase: "features", done: Math.min(total, start + chunk.length), total }))
    ) {
      return { stopped: true };
    }
  }
  const featuresMs = performance.now() - started;

  // Unreadable images may leave a class too small after all.
  const perClass = Object.fromEntries(set.classes.map((c) => [c, usable.filter((u) => u.label === c).length]));
  const classes = set.classes.filter((c) => (perClass[c] ?? 0) >= MIN_IMAGES_PER_CLASS);
  if (classes.length < MIN_CLASSES) {
    throw new AppError(
      "BAD_INPUT",
      `Too few readable labelled images: retraining needs at least ${MIN_CLASSES} classes with at least ${MIN_IMAGES_PER_CLASS} images each ` +
        `(readable: ${Object.entries(perClass)
          .map(([c, n]) => `${c} ${n}`)
          .join(", ")})`,
    );
  }
  const trainOn = usable.filter((u) => classes.includes(u.label));
  for (const dropped of usable.filter((u) => !classes.includes(u.label))) {
    skipped.push({
      imageId: dropped.imageId,
      fileName: set.images.find((i) => i.imageId === dropped.imageId)?.fileName ?? dropped.name,
      reason: `class "${dropped.label}" has too few readable images`,
    });
  }
  let groupedBy = set.groupedBy;
  if (new Set(trainOn.map((u) => u.group)).size < 2) {
    groupedBy = "image";
    for (const u of trainOn) u.group = u.imageId;
  }
  if (options.onProgress && !(await options.onProgress({ phase: "training", done: total, total })))
    return { stopped: true };

  // Every feature is cached by now: retrainHead reads them back instead of running the network.
  const trainingStarted = performance.now();
  const result = await retrainHead({
    model: options.backbonePath,
    images: trainOn,
    featureCache,
    classes,
    folds: options.folds,
    seed: 0,
    features,
  });
  const trainingMs = performance.now() - trainingStarted;
  const { key: headBlobKey } = await store.put(Buffer.from(JSON.stringify(result.head), "utf8"));
  const m = result.head.metrics;
  const predictions = outOfFoldPredictions(trainOn, result, m.classes);
  return {
    head: result.head,
    headBlobKey,
    labelSnapshot: Object.fromEntries(trainOn.map((u) => [u.imageId, u.label])),
    metrics: {
      source: "retrain",
      validation: result.crossValidation.validation,
      featureSet: features,
      folds: result.crossValidation.folds,
      groupedBy,
      groups: new Set(trainOn.map((u) => u.group)).size,
      weightedAccuracy: m.weightedAccuracy,
      balancedAccuracy: m.balancedAccuracy,
      weightedF1: m.weightedF1,
      confusionMatrix: m.confusionMatrix,
      classes: m.classes,
      n: m.n,
      perClass: result.head.training.perClass,
      skipped,
      features: { computed, cached },
      timingsMs: { features: featuresMs, training: trainingMs, total: performance.now() - started },
      ...(predictions ? { predictions } : {}),
    },
  };
}

/**
 * Image by image, what the cross-validation predicted: retrainHead validates the images it could
 * read features for, in the order given (each named by its image id), and its out-of-fold
 * predictions follow that order. null if they cannot be lined up (then none are stored).
 */
function outOfFoldPredictions(
  trainOn: readonly { imageId: string; label: string }[],
  result: RetrainHeadResult,
  classes: readonly string[],
): NonNullable<RetrainMetrics["predictions"]> | null {
  const unreadable = new Set(result.skipped.map((s) => s.name));
  const validated = trainOn.filter((image) => !unreadable.has(image.imageId));
  const predicted = result.crossValidation.predictions;
  if (predicted.length !== validated.length) return null;
  return validated.map((image, i) => ({
    imageId: image.imageId,
    actual: classes.indexOf(image.label),
    predicted: predicted[i]!,
  }));
}
