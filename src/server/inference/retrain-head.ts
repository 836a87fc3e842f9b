/**
 * Retraining from image-level labels: pooled features (cached per model + image), grouped k-fold
 * cross-validated metrics, then the final head trained on every labelled image. The result is
 * plain JSON (classes, weights, bias, backbone sha256, metrics) for the platform to persist as a
 * ModelVersion; classify.ts takes it back via headFromJson to predict and draw CAMs with it.
 */
import "server-only";
import { z } from "zod";

import { type CrossValidationResult, crossValidateHead } from "./cross-validation";
import type { FeatureCache } from "./feature-cache";
import { type HeadTrainingOptions, trainSoftmaxHead } from "./head-training";
import { headToJson, linearHeadJsonSchema } from "./linear-head";
import { computePooledFeatures, type EncodedImage } from "./pooled-features";
import { getModel } from "./session-cache";

export type LabelledImage = EncodedImage & { label: string; group?: string };

export const retrainedHeadSchema = linearHeadJsonSchema.and(
  z.object({
    kind: z.literal("visual-ccc/linear-head"),
    backboneSha256: z.string().regex(/^[0-9a-f]{64}$/),
    backboneName: z.string(),
    backboneVersion: z.string(),
    training: z.object({
      images: z.number().int(),
      perClass: z.record(z.string(), z.number().int()),
      l2: z.number(),
      classWeighting: z.enum(["balanced", "none"]),
      folds: z.number().int(),
    }),
    metrics: z.object({
      weightedAccuracy: z.number(),
      balancedAccuracy: z.number(),
      weightedF1: z.number(),
      confusionMatrix: z.array(z.array(z.number().int())),
      classes: z.array(z.string()),
      n: z.number().int(),
    }),
  }),
);
export type RetrainedHead = z.infer<typeof retrainedHeadSchema>;

export type RetrainHeadOptions = HeadTrainingOptions & {
  /** Model name or path of the backbone. @default the shipped model */
  model?: string;
  images: LabelledImage[];
  featureCache: FeatureCache;
  /** @default 5 */
  folds?: number;
  /** Class order; @default the distinct labels, sorted (the reference's folder order). */
  classes?: string[];
  seed?: number;
};

export type RetrainHeadResult = {
  head: RetrainedHead;
  crossValidation: CrossValidationResult;
  skipped: { name: string; error: string }[];
  timings: { featuresMs: number; trainingMs: number; cacheHits: number; computed: number };
};

export async function retrainHead(options: RetrainHeadOptions): Promise<RetrainHeadResult> {
  const model = await getModel(options.model);
  const started = performance.now();
  const pooled = await computePooledFeatures({
    model: model.path,
    images: options.images,
    cache: options.featureCache,
  });
  const featuresMs = performance.now() - started;

  const skipped: { name: string; error: string }[] = [];
  const usable: { features: Float32Array; label: string; group?: string }[] = [];
  pooled.entries.forEach((entry, i) => {
    const image = options.images[i];
    if (!image) return;
    if (entry.ok) usable.push({ features: entry.features, label: image.label, group: image.group });
    else skipped.push({ name: entry.name, error: entry.error });
  });
  const classes = options.classes ?? [...new Set(usable.map((u) => u.label))].sort();
  if (classes.length < 2)
    throw new RangeError(`retraining needs at least 2 classes, got ${classes.length} (${classes.join(", ")})`);
  const unknown = usable.find((u) => !classes.includes(u.label));
  if (unknown) throw new RangeError(`label "${unknown.label}" is not one of ${classes.join(", ")}`);
  const set = {
    features: usable.map((u) => u.features),
    labels: usable.map((u) => classes.indexOf(u.label)),
    classes,
  };

  const trainingStarted = performance.now();
  const crossValidation = crossValidateHead(set, {
    ...options,
    groups: usable.map((u) => u.group),
    folds: options.folds ?? 5,
  });
  const head = trainSoftmaxHead(set, options);
  const trainingMs = performance.now() - trainingStarted;

  const perClass = Object.fromEntries(classes.map((c, i) => [c, set.labels.filter((y) => y === i).length]));
  const { folds: _folds, foldSizes: _sizes, predictions: _predictions, ...metrics } = crossValidation;
  return {
    head: {
      kind: "visual-ccc/linear-head",
      ...headToJson(head),
      backboneSha256: model.sha256,
      backboneName: model.card.name,
      backboneVersion: model.card.version,
      training: {
        images: usable.length,
        perClass,
        l2: options.l2 ?? 0.01,
        classWeighting: options.classWeighting ?? "balanced",
        folds: crossValidation.folds,
      },
      metrics,
    },
    crossValidation,
    skipped,
    timings: {
      featuresMs,
      trainingMs,
      cacheHits: pooled.cacheHits,
      computed: usable.length - pooled.cacheHits,
    },
  };
}
