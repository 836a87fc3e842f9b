/**
 * The images behind one cell of a version's confusion matrix on the project's labels: those whose
 * true class is `actualClass` and predicted class `predictedClass`. For a retrained version, its
 * stored out-of-fold predictions (labels as trained on); for a built-in model, its stored
 * analyses under the project's settings against the current labels, matched as its scores were
 * (stored-analysis-label-metrics.ts), so a cell lists exactly the images it counts. Only the
 * project's images are listed; ones deleted since are counted as missing.
 */
import "server-only";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { retrainMetricsSchema } from "./model-version-metrics";
import { findStoredLabelledPredictions, matrixClasses } from "./stored-analysis-label-metrics";

/** The most images one cell lists (the count says how many there are). */
export const MAX_CELL_IMAGES = 500;

export type ConfusionCellImage = { imageId: string; fileName: string; datasetId: string; datasetName: string };

export type ConfusionCellImages = {
  kind: "cross-validation" | "stored-analyses";
  /** Images the cell counts (also those deleted since). */
  total: number;
  /** Counted images that no longer exist. */
  missing: number;
  /** By file name, at most {@link MAX_CELL_IMAGES}. */
  images: ConfusionCellImage[];
};

export const PREDICTIONS_NOT_STORED =
  "Per-image predictions are not stored for this version: retrain to see the images in each cell.";

async function cellImageIds(options: {
  db: Db;
  projectId: string;
  modelVersionId: string;
  actualClass: string;
  predictedClass: string;
}): Promise<{ kind: ConfusionCellImages["kind"]; imageIds: string[] }> {
  const { db, projectId, actualClass, predictedClass } = options;
  const version = await db.modelVersion.findFirst({
    where: { id: options.modelVersionId, OR: [{ projectId }, { projectId: null }] },
    select: { id: true, projectId: true, classes: true, metrics: true },
  });
  if (!version) throw new AppError("NOT_FOUND", "Model version not found");

  if (version.projectId !== null) {
    const metrics = retrainMetricsSchema.safeParse(version.metrics);
    if (!metrics.success) throw new AppError("BAD_INPUT", "This version has no cross-validated metrics.");
    if (!metrics.data.predictions) throw new AppError("BAD_INPUT", PREDICTIONS_NOT_STORED);
    const actual = metrics.data.classes.indexOf(actualClass);
    const predicted = metrics.data.classes.indexOf(predictedClass);
    if (actual < 0 || predicted < 0) throw new AppError("BAD_INPUT", "Not a class of this version's confusion matrix");
    return {
      kind: "cross-validation",
      imageIds: metrics.data.predictions
        .filter((p) => p.actual === actual && p.predicted === predicted)
        .map((p) => p.imageId),
    };
  }

  const { byModel } = await findStoredLabelledPredictions({ db, projectId, modelVersionIds: [version.id] });
  const predictions = byModel.get(version.id) ?? [];
  const { classes, classOf } = matrixClasses(version.classes, predictions);
  if (!classes.includes(actualClass) || !classes.includes(predictedClass)) {
    throw new AppError("BAD_INPUT", "Not a class of this model's confusion matrix on your labels");
  }
  return {
    kind: "stored-analyses",
    imageIds: predictions
      .filter((p) => classOf(p.actual) === actualClass && classOf(p.predicted) === predictedClass)
      .map((p) => p.imageId),
  };
}

export async function listConfusionCellImages(options: {
  db: Db;
  projectId: string;
  modelVersionId: string;
  actualClass: string;
  predictedClass: string;
}): Promise<ConfusionCellImages> {
  const { db, projectId } = options;
  const { kind, imageIds } = await cellImageIds(options);
  const found = await db.image.findMany({
    where: { id: { in: imageIds }, projectId },
    orderBy: [{ fileName: "asc" }, { id: "asc" }],
    select: { id: true, fileName: true, datasetId: true, dataset: { select: { name: true } } },
  });
  return {
    kind,
    total: imageIds.length,
    missing: imageIds.length - found.length,
    images: found.slice(0, MAX_CELL_IMAGES).map((image) => ({
      imageId: image.id,
      fileName: image.fileName,
      datasetId: image.datasetId,
      datasetName: image.dataset.name,
    })),
  };
}
