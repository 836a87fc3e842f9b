import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { getProjectSettings } from "~/server/settings/project-settings";
import { ANALYSIS_SELECT, toAnalysisDto } from "./analysis-dto";

export type ImagePrediction = {
  imageId: string;
  prediction: string;
  confidence: number | null;
  analysisId: string;
  /** Why the prediction is reported as "uncertain" (project settings), or null. */
  uncertainReason: string | null;
};

/**
 * The newest classified analysis of every image of a dataset: the grid shows its class and
 * probability. Images without one are simply absent.
 */
export async function listDatasetPredictions(options: {
  db: Db;
  projectId: string;
  datasetId: string;
}): Promise<ImagePrediction[]> {
  const dataset = await options.db.dataset.findFirst({
    where: { id: options.datasetId, projectId: options.projectId },
    select: { id: true },
  });
  if (!dataset) throw new AppError("NOT_FOUND", "Dataset not found");
  const rows = await options.db.analysis.findMany({
    where: { prediction: { not: null }, image: { datasetId: dataset.id, projectId: options.projectId } },
    orderBy: { createdAt: "desc" },
    distinct: ["imageId"],
    select: ANALYSIS_SELECT,
  });
  const { settings } = await getProjectSettings({ db: options.db, projectId: options.projectId });
  return rows
    .map((row) => toAnalysisDto(row, settings.uncertainty))
    .map((analysis) => ({
      imageId: analysis.imageId,
      prediction: analysis.prediction!,
      confidence: analysis.confidence,
      analysisId: analysis.id,
      uncertainReason: analysis.uncertainty.reason,
    }));
}
