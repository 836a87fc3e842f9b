/**
 * The labelling queue, least confident first: the project's (or one dataset's) images that report
 * a classified analysis under the project's current settings but carry no label yet, "uncertain"
 * ones first (under those settings' thresholds), then by the predicted class's calibrated
 * probability, ascending, ties by file name. Labelling these first teaches a retrained head the
 * most per label.
 */
import "server-only";
import { storedCalibration, storedUncertainty } from "~/server/analysis/analysis-dto";
import { probabilitiesSchema } from "~/server/analysis/analysis-record";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { getProjectSettings } from "~/server/settings/project-settings";

/** The most images one queue holds. @default of `limit` */
export const LEAST_CONFIDENT_LIMIT = 500;

export type QueuedImage = {
  imageId: string;
  fileName: string;
  datasetId: string;
  datasetName: string;
  prediction: string;
  /** The predicted class's calibrated probability; null when the analysis did not store it. */
  probability: number | null;
  /** Why the prediction is reported "uncertain", or null. */
  uncertainReason: string | null;
};

export type LeastConfidentQueue = {
  settingsVersion: number;
  /** Unlabelled images with a prediction under the settings (the queue may hold fewer). */
  total: number;
  images: QueuedImage[];
  /** Why the queue is empty when no image was analysed under the settings; else null. */
  note: string | null;
};

/** Uncertain first, then by probability ascending (unknown first), then by file name and id. */
export function compareLeastConfident(a: QueuedImage, b: QueuedImage): number {
  const uncertain = Number(b.uncertainReason !== null) - Number(a.uncertainReason !== null);
  if (uncertain !== 0) return uncertain;
  const pa = a.probability ?? -1;
  const pb = b.probability ?? -1;
  if (pa !== pb) return pa - pb;
  if (a.fileName !== b.fileName) return a.fileName < b.fileName ? -1 : 1;
  return a.imageId < b.imageId ? -1 : a.imageId > b.imageId ? 1 : 0;
}

export async function listLeastConfidentImages(options: {
  db: Db;
  projectId: string;
  datasetId?: string;
  /** @default LEAST_CONFIDENT_LIMIT */
  limit?: number;
}): Promise<LeastConfidentQueue> {
  const { db, projectId, datasetId } = options;
  if (datasetId) {
    const dataset = await db.dataset.findFirst({ where: { id: datasetId, projectId }, select: { id: true } });
    if (!dataset) throw new AppError("NOT_FOUND", "Dataset not found");
  }
  const settings = await getProjectSettings({ db, projectId });
  if (settings.id === null) {
    return {
      settingsVersion: settings.version,
      total: 0,
      images: [],
      note: "No image has been analysed under the project's settings yet: run a dataset analysis first.",
    };
  }
  const rows = await db.settingsResult.findMany({
    where: {
      projectId,
      settingsId: settings.id,
      analysis: { prediction: { not: null } },
      image: { projectId, label: { is: null }, ...(datasetId ? { datasetId } : {}) },
    },
    select: {
      imageId: true,
      image: { select: { fileName: true, datasetId: true, dataset: { select: { name: true } } } },
      analysis: { select: { prediction: true, probabilities: true, descriptors: true } },
    },
  });
  const queued = rows.flatMap((row): QueuedImage[] => {
    const prediction = row.analysis?.prediction;
    if (!prediction) return [];
    const probabilities = probabilitiesSchema.safeParse(row.analysis?.probabilities);
    const probability = probabilities.success ? (probabilities.data[prediction] ?? null) : null;
    const calibration = storedCalibration(row.analysis?.descriptors);
    const decision = storedUncertainty(prediction, probability, calibration, settings.settings.uncertainty);
    return [
      {
        imageId: row.imageId,
        fileName: row.image.fileName,
        datasetId: row.image.datasetId,
        datasetName: row.image.dataset.name,
        prediction,
        probability,
        uncertainReason: decision.uncertain ? decision.reason : null,
      },
    ];
  });
  queued.sort(compareLeastConfident);
  return {
    settingsVersion: settings.version,
    total: queued.length,
    images: queued.slice(0, options.limit ?? LEAST_CONFIDENT_LIMIT),
    note: null,
  };
}
