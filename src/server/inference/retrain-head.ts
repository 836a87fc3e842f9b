/**
 * Retraining from image-level labels: pooled features (cached per model + image), grouped k-fold
 * cross-validated metrics, then the final head trained on every labelled image. The result is
 * plain JSON (classes, weights, bias, backbone sha256, metrics) for the platform to persist as a
 * ModelVersion; classify.ts takes it back via headFromJson to predict and draw CAMs with it.
 */
import "server-only";
import { z } from "zod";

import { DESCRIPTOR_NAMES, DESCRIPTOR_SET_VERSION } from "~/core/descriptors/image-descriptors";
import { computeDescriptorFeatures } from "./descriptor-features";
import type { FeatureCache } from "./feature-cache";
import {
  crossValidateStandardised,
  type FeatureCrossValidation,
  type FeatureSet,
  featureSetSchema,
  featureVector,
  standardiserSchema,
  trainStandardisedHead,
} from "./feature-set-head";
import type { HeadTrainingOptions } from "./head-training";
import { headToJson, linearHeadJsonSchema } from "./linear-head";
import { computePooledFeatures, type EncodedImage } from "./pooled-features";
import { getModel } from "./session-cache";

export type LabelledImage = EncodedImage & { label: string; group?: string };

/**
 * What a head's input vector is made of. Absent on heads stored before feature sets existed:
 * those are "cnn" heads over the pooled features.
 */
export const headFeaturesSchema = z.object({
  features: featureSetSchema,
  /** Pooled CNN channels at the start of the vector (0 for "descriptors"). */
  cnnChannels: z.number().int().nonnegative(),
  /** The descriptor set after them (null for "cnn"). */
  descriptorSet: z.object({ version: z.number().int(), names: z.array(z.string()) }).nullable(),
  /** Fitted on every training image; already folded into the weights (they apply to raw vectors). */
  standardiser: standardiserSchema,
  validation: z.enum(["leave-one-group-out", "grouped-k-fold"]),
});
export type HeadFeatures = z.infer<typeof headFeaturesSchema>;

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
    featureSet: headFeaturesSchema.optional(),
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
  /** Grouped k-fold with this many folds; absent: leave-one-group-out when real groups exist, else 5-fold. */
  folds?: number;
  /** What the head reads. @default "cnn" */
  features?: FeatureSet;
  /** Class order; @default the distinct labels, sorted (the reference's folder order). */
  classes?: string[];
  seed?: number;
};

export type RetrainHeadResult = {
  head: RetrainedHead;
  crossValidation: FeatureCrossValidation;
  skipped: { name: string; error: string }[];
  timings: { featuresMs: number; trainingMs: number; cacheHits: number; computed: number };
};

export async function retrainHead(options: RetrainHeadOptions): Promise<RetrainHeadResult> {
  const model = await getModel(options.model);
  const started = performance.now();
  const features = options.features ?? "cnn";
  const pooled =
    features === "descriptors"
      ? null
      : await computePooledFeatures({ model: model.path, images: options.images, cache: options.featureCache });
  const measured =
    features === "cnn"
      ? null
      : await computeDescriptorFeatures({ images: options.images, cache: options.featureCache });
  const featuresMs = performance.now() - started;

  const skipped: { name: string; error: string }[] = [];
  const usable: { features: Float32Array; label: string; group?: string }[] = [];
  options.images.forEach((image, i) => {
    const cnn = pooled?.entries[i];
    const descriptors = measured?.entries[i];
    const failed = [cnn, descriptors].find((e) => e !== undefined && !e.ok);
    if (failed && !failed.ok) skipped.push({ name: failed.name, error: failed.error });
    else
      usable.push({
        features: featureVector(
          features,
          cnn?.ok ? cnn.features : undefined,
          descriptors?.ok ? descriptors.descriptors : undefined,
        ),
        label: image.label,
        group: image.group,
      });
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
  const crossValidation = crossValidateStandardised(set, { ...options, groups: usable.map((u) => u.group) });
  const { head, standardiser } = trainStandardisedHead(set, options);
  const trainingMs = performance.now() - trainingStarted;

  const perClass = Object.fromEntries(classes.map((c, i) => [c, set.labels.filter((y) => y === i).length]));
  const {
    folds: _folds,
    foldSizes: _sizes,
    predictions: _predictions,
    validation,
    standardisers: _standardisers,
    ...metrics
  } = crossValidation;
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
      featureSet: {
        features,
        cnnChannels: features === "descriptors" ? 0 : model.shape.featureChannels,
        descriptorSet: features === "cnn" ? null : { version: DESCRIPTOR_SET_VERSION, names: [...DESCRIPTOR_NAMES] },
        standardiser,
        validation,
      },
      metrics,
    },
    crossValidation,
    skipped,
    timings: {
      featuresMs,
      trainingMs,
      cacheHits: pooled?.cacheHits ?? measured?.cacheHits ?? 0,
      computed: usable.length - (pooled?.cacheHits ?? measured?.cacheHits ?? 0),
    },
  };
}
