/**
 * A built-in model measured on the project's own labels from what is already stored, with no
 * inference: the analyses the images report under the project's current settings (their
 * SettingsResult) that used the model, compared with the images' current labels. The model never
 * saw these labels, so no cross-validation is needed; an image counts once.
 *
 * Class names match without case ("Dendritic" labelled = "dendritic" predicted, as the dataset
 * grid compares them). A label the model has no class for becomes a row of its own, one the
 * model can only get wrong: leaving it out would flatter the model.
 */
import "server-only";
import type { Db } from "~/server/db";
import { metricsFromPredictions } from "~/server/inference/cross-validation";
import { getProjectSettings } from "~/server/settings/project-settings";
import { measuredScores, type OwnLabelScores } from "./model-version-metrics";

/** One labelled image and what the model's stored analysis predicted for it. */
export type StoredLabelledPrediction = { imageId: string; actual: string; predicted: string };

/** The stored predictions of each model (by version id) for the project's labelled images. */
export type StoredLabelledPredictions = {
  /** The settings version the analyses were reported under; 0 when nothing was run under any. */
  settingsVersion: number;
  byModel: Map<string, StoredLabelledPrediction[]>;
};

export async function findStoredLabelledPredictions(options: {
  db: Db;
  projectId: string;
  modelVersionIds: readonly string[];
}): Promise<StoredLabelledPredictions> {
  const { db, projectId, modelVersionIds } = options;
  const settings = await getProjectSettings({ db, projectId });
  const byModel = new Map<string, StoredLabelledPrediction[]>();
  if (settings.id === null || modelVersionIds.length === 0) return { settingsVersion: settings.version, byModel };
  const rows = await db.settingsResult.findMany({
    where: {
      projectId,
      settingsId: settings.id,
      analysis: { modelVersionId: { in: [...modelVersionIds] }, prediction: { not: null } },
      image: { projectId, label: { isNot: null } },
    },
    orderBy: { imageId: "asc" },
    select: {
      imageId: true,
      analysis: { select: { modelVersionId: true, prediction: true } },
      image: { select: { label: { select: { labelClass: { select: { name: true } } } } } },
    },
  });
  for (const row of rows) {
    const modelVersionId = row.analysis?.modelVersionId;
    const predicted = row.analysis?.prediction;
    const actual = row.image.label?.labelClass.name;
    if (!modelVersionId || !predicted || !actual) continue;
    const list = byModel.get(modelVersionId) ?? [];
    list.push({ imageId: row.imageId, actual, predicted });
    byModel.set(modelVersionId, list);
  }
  return { settingsVersion: settings.version, byModel };
}

const nameKey = (name: string) => name.trim().toLowerCase();

/**
 * The confusion matrix's classes: the model's, in its order, then the label names it has no
 * class for, in order of appearance. `classOf` maps any spelling to its class there.
 */
export function matrixClasses(modelClasses: readonly string[], predictions: readonly StoredLabelledPrediction[]) {
  const classes = [...modelClasses];
  const byKey = new Map(classes.map((name) => [nameKey(name), name]));
  for (const { actual, predicted } of predictions) {
    for (const name of [actual, predicted]) {
      if (!byKey.has(nameKey(name))) {
        byKey.set(nameKey(name), name);
        classes.push(name);
      }
    }
  }
  const classOf = (name: string) => byKey.get(nameKey(name)) ?? name;
  return { classes, classOf };
}

/** Scores of stored predictions against labels, or null when there are none. */
export function scoreStoredPredictions(options: {
  modelClasses: readonly string[];
  predictions: readonly StoredLabelledPrediction[];
  settingsVersion: number;
}): OwnLabelScores | null {
  const { predictions } = options;
  if (predictions.length === 0) return null;
  const { classes, classOf } = matrixClasses(options.modelClasses, predictions);
  const index = (name: string) => classes.indexOf(classOf(name));
  const metrics = metricsFromPredictions(
    predictions.map((p) => index(p.actual)),
    predictions.map((p) => index(p.predicted)),
    classes,
  );
  return {
    ...measuredScores({
      evaluation: `its stored analyses under the project's settings v${options.settingsVersion}, against the current labels of ${predictions.length} images`,
      weightedAccuracy: metrics.weightedAccuracy,
      balancedAccuracy: metrics.balancedAccuracy,
      weightedF1: metrics.weightedF1,
      classes,
      confusionMatrix: metrics.confusionMatrix,
      n: metrics.n,
    }),
    kind: "stored-analyses",
    perImage: true,
  };
}

/** Why a built-in model shows no scores on the project's labels, in words. */
export function noStoredScoresReason(settingsVersion: number): string {
  return settingsVersion === 0
    ? "No image has been analysed under the project's settings yet: run a dataset analysis, then label images, to measure this model on your labels."
    : `No labelled image reports an analysis by this model under the project's settings v${settingsVersion}: analyse labelled images with it to measure it on your labels.`;
}

/** Each built-in model's scores on the project's labels (or why there are none), by version id. */
export async function measureBuiltInModelsOnLabels(options: {
  db: Db;
  projectId: string;
  models: readonly { id: string; classes: readonly string[] }[];
}): Promise<Map<string, { scores: OwnLabelScores | null; reason: string | null }>> {
  const { settingsVersion, byModel } = await findStoredLabelledPredictions({
    db: options.db,
    projectId: options.projectId,
    modelVersionIds: options.models.map((model) => model.id),
  });
  return new Map(
    options.models.map((model) => {
      const scores = scoreStoredPredictions({
        modelClasses: model.classes,
        predictions: byModel.get(model.id) ?? [],
        settingsVersion,
      });
      return [model.id, { scores, reason: scores ? null : noStoredScoresReason(settingsVersion) }];
    }),
  );
}
