/**
 * One typed row per image of what it reports under one settings version: its analysis
 * (prediction, probabilities, Otsu, texture, cluster area %), its object set's per-image numbers
 * and its condition tags. The one place these numbers are read and rounded: results.csv
 * (src/server/exports/stream-results-csv.ts) writes these rows as cells, the results view
 * (results.table) answers them with {@link measurementsOf}, so both show the same numbers.
 * One query per kind for a page of images.
 */
import "server-only";
import { KMEANS_MAX_K, KMEANS_MIN_K } from "~/core/analysis";
import { clusterKey, descriptorKey, probabilityKey } from "~/core/results/result-columns";
import {
  analysisDescriptorsSchema,
  clusterStatsSchema,
  probabilitiesSchema,
  storedAnalysisParamsSchema,
} from "~/server/analysis/analysis-record";
import { storedCalibration, storedUncertainty } from "~/server/analysis/analysis-dto";
import { findReportedAnalyses, type NewestAnalysis } from "~/server/analysis/find-newest-analysis";
import { findImageTags, type ImageTagValue } from "~/server/conditions/find-image-tags";
import type { Db } from "~/server/db";
import { finiteOrNull as finite, PIXEL_SIZE_SELECT } from "~/server/exports/export-image-rows";
import { findReportedObjectSets, type NewestObjectSet } from "~/server/objects/find-newest-object-sets";
import { labelPixelSizeOf } from "~/server/objects/object-set-dto";
import { convertLength } from "~/server/objects/pixel-size";
import type { UncertaintySettings } from "~/core/analysis/uncertainty";
import { getProjectSettings } from "~/server/settings/project-settings";
import { findSettingsFailures, type ReportedSettings } from "~/server/settings/settings-results";

/** The K values a row reports cluster shares for (the clustering's range). */
export const CLUSTER_KS = Array.from({ length: KMEANS_MAX_K - KMEANS_MIN_K + 1 }, (_, i) => KMEANS_MIN_K + i);
const KNOWN_DESCRIPTORS = new Set(["otsuThreshold", "foregroundFraction", "meanContrast", "calibration"]);

/** The status of an image never analysed under the settings version. */
export const NOT_RUN = "not analysed with these settings";

/** The image fields a row needs (besides its id). */
export const RESULT_ROW_IMAGE_SELECT = {
  ...PIXEL_SIZE_SELECT,
  fileName: true,
  dataset: { select: { name: true } },
  datasetId: true,
  label: { select: { labelClass: { select: { name: true } } } },
} as const;

export type ResultRowImage = {
  id: string;
  fileName: string;
  datasetId: string;
  dataset: { name: string };
  width: number;
  pixelSizeUm: number | null;
  pixelSizeUnit: string | null;
  label: { labelClass: { name: string } } | null;
};

/** The object set's per-image numbers (pixels of the label map, and µm with a pixel size). */
export type ResultRowObjects = {
  count: number;
  coverage: number | null;
  d50Px: number | null;
  d50Um: number | null;
  indexOfDispersionMax: number | null;
  paramsHash: string;
};

export type ResultRow = {
  imageId: string;
  datasetId: string;
  dataset: string;
  file: string;
  /** The image's label (class name), if someone labelled it. */
  label: string | null;
  prediction: string | null;
  /** Probability of the predicted class. */
  probability: number | null;
  /** Class name -> probability, in the model's class order. */
  probabilities: Record<string, number>;
  modelVersion: string | null;
  codeVersion: string | null;
  analysedAt: Date | null;
  otsuThreshold: number | null;
  foregroundFraction: number | null;
  meanContrast: number | null;
  /** K -> area % of each cluster, for the K in {@link CLUSTER_KS} the analysis has. */
  clusterShares: Record<number, number[]>;
  /** Descriptors beyond Otsu, foreground and contrast, as stored; null when none. */
  extraDescriptors: Record<string, unknown> | null;
  objects: ResultRowObjects | null;
  settingsVersion: number;
  /** "ok", "failed: <why>" or {@link NOT_RUN}. */
  status: string;
  /** Condition tags (key -> value and unit). */
  tags: Record<string, ImageTagValue>;
  /** Whether the prediction is reported as "uncertain" (the settings' thresholds); null: no prediction. */
  uncertain: boolean | null;
  /** Why it is uncertain ("low confidence (0.55 < 0.7)", "unlike the training images (...)"), or null. */
  uncertainReason: string | null;
};

const round = (value: number, digits: number) => Number(value.toFixed(digits));

function objectsOf(image: ResultRowImage, set: NewestObjectSet | undefined): ResultRowObjects | null {
  if (!set) return null;
  const stats = (set.imageStats ?? {}) as Record<string, unknown>;
  const d50 = finite(stats.d50);
  const coverage = finite(stats.coverage);
  const pixel = labelPixelSizeOf(image, set.width);
  const dispersion = stats.indexOfDispersion as { max?: unknown } | null | undefined;
  return {
    count: set.count,
    coverage: coverage === null ? null : round(coverage, 6),
    d50Px: d50 === null ? null : round(d50, 4),
    d50Um: d50 === null || !pixel ? null : Number((d50 * convertLength(pixel.value, pixel.unit, "µm")).toPrecision(8)),
    indexOfDispersionMax: finite(dispersion?.max),
    paramsHash: set.paramsHash,
  };
}

function analysisFields(analysis: NewestAnalysis | undefined, uncertainty: UncertaintySettings) {
  const probabilities = probabilitiesSchema.safeParse(analysis?.probabilities);
  const probs = probabilities.success ? probabilities.data : {};
  const descriptors = analysisDescriptorsSchema.safeParse(analysis?.descriptors);
  const clusters = clusterStatsSchema.safeParse(analysis?.clusterStats);
  const params = storedAnalysisParamsSchema.safeParse(analysis?.params);
  const extra =
    analysis?.descriptors && typeof analysis.descriptors === "object" && !Array.isArray(analysis.descriptors)
      ? Object.fromEntries(Object.entries(analysis.descriptors).filter(([key]) => !KNOWN_DESCRIPTORS.has(key)))
      : {};
  const prediction = analysis?.prediction ?? null;
  const clusterShares: Record<number, number[]> = {};
  for (const k of CLUSTER_KS) {
    const stats = clusters.success ? clusters.data[String(k)] : undefined;
    if (stats) clusterShares[k] = stats.areaPercent.map((share) => round(share, 3));
  }
  const probability = prediction !== null && prediction in probs ? round(probs[prediction]!, 6) : null;
  const decision = storedUncertainty(prediction, probability, storedCalibration(analysis?.descriptors), uncertainty);
  return {
    prediction,
    probability,
    probabilities: Object.fromEntries(Object.entries(probs).map(([name, p]) => [name, round(p, 6)])),
    modelVersion: analysis?.modelVersion?.name ?? (params.success ? (params.data.classifier?.model ?? null) : null),
    codeVersion: analysis?.codeVersion ?? null,
    analysedAt: analysis?.createdAt ?? null,
    otsuThreshold: descriptors.success ? descriptors.data.otsuThreshold : null,
    foregroundFraction: descriptors.success ? round(descriptors.data.foregroundFraction, 6) : null,
    meanContrast: descriptors.success ? round(descriptors.data.meanContrast, 6) : null,
    clusterShares,
    extraDescriptors: Object.keys(extra).length > 0 ? extra : null,
    uncertain: prediction === null ? null : decision.uncertain,
    uncertainReason: decision.reason,
  };
}

/** The rows of a page of the project's images (in the order given) under `settings`. */
export async function buildResultRows(options: {
  db: Db;
  projectId: string;
  settings: ReportedSettings;
  images: readonly ResultRowImage[];
}): Promise<ResultRow[]> {
  const { db, projectId, settings, images } = options;
  const imageIds = images.map((image) => image.id);
  const [analyses, objectSets, failures, tags, reported] = await Promise.all([
    findReportedAnalyses({ db, projectId, settings, imageIds }),
    findReportedObjectSets({ db, projectId, settings, imageIds }),
    findSettingsFailures({ db, projectId, settings, imageIds }),
    findImageTags({ db, projectId, imageIds }),
    // The version's own uncertainty thresholds decide "uncertain".
    getProjectSettings({ db, projectId, version: settings.version }),
  ]);
  return images.map((image) => {
    const analysis = analyses.get(image.id);
    return {
      imageId: image.id,
      datasetId: image.datasetId,
      dataset: image.dataset.name,
      file: image.fileName,
      label: image.label?.labelClass.name ?? null,
      ...analysisFields(analysis, reported.settings.uncertainty),
      objects: objectsOf(image, objectSets.get(image.id)),
      settingsVersion: settings.version,
      status: analysis ? "ok" : failures.has(image.id) ? `failed: ${failures.get(image.id)}` : NOT_RUN,
      tags: tags.get(image.id) ?? {},
    };
  });
}

/**
 * The row's numbers by column key (src/core/results/result-columns.ts); a number the image does
 * not report is absent.
 */
export function measurementsOf(row: ResultRow): Record<string, number> {
  const values: Record<string, number | null> = {
    probability: row.probability,
    otsu_threshold: row.otsuThreshold,
    foreground_fraction: row.foregroundFraction,
    mean_contrast: row.meanContrast,
    object_count: row.objects?.count ?? null,
    object_coverage: row.objects?.coverage ?? null,
    object_d50_px: row.objects?.d50Px ?? null,
    object_d50_um: row.objects?.d50Um ?? null,
    index_of_dispersion_max: row.objects?.indexOfDispersionMax ?? null,
  };
  for (const [name, p] of Object.entries(row.probabilities)) values[probabilityKey(name)] = p;
  for (const [k, shares] of Object.entries(row.clusterShares))
    shares.forEach((share, index) => (values[clusterKey(Number(k), index)] = share));
  for (const [name, value] of Object.entries(row.extraDescriptors ?? {})) values[descriptorKey(name)] = finite(value);
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, number] => entry[1] !== null));
}
