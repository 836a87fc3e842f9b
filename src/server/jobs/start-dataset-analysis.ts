/**
 * Starts the analysis of every image of a dataset as a background job (startJobRun), normally
 * under the project's analysis settings (the current version, or `settingsVersion`): the run pins
 * that version, and each image's result is recorded as the version's (SettingsResult), which is
 * what exports report. Explicit `params` / `model` / `objects` make an ad-hoc run instead, reported
 * under no settings (benchmarks and tests). Starting while a run of the same dataset is queued or
 * running returns that run instead of a second one.
 */
import "server-only";
import type { ObjectSegmentationParams } from "~/core/objects/segment-objects";
import type { ClassificationMode } from "~/core/settings/analysis-settings";
import type { AnalysisParamsInput } from "~/server/analysis/run-analysis";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { pinProjectSettings } from "~/server/settings/project-settings";
import { settingsRun } from "~/server/settings/settings-run";
import { analyseDatasetJob } from "./definitions";
import type { JobQueue } from "./queue";
import { resolveRunParams } from "./resolve-run-params";
import { startJobRun, type StartedJobRun } from "./start-job-run";

export async function startDatasetAnalysis(options: {
  db: Db;
  projectId: string;
  datasetId: string;
  actorId: string;
  params?: AnalysisParamsInput;
  /** Model name or path; null: no classification. @default INFERENCE_MODEL or the shipped model */
  model?: string | null;
  /**
   * Also segment and measure every image's objects (objects.run's service) with these parameters
   * (any subset; the rest takes the defaults). @default null: no objects, as objects cost a
   * full-resolution segmentation per image and their parameters are worth checking on one image first
   */
  objects?: Partial<ObjectSegmentationParams> | null;
  /**
   * What the classifier sees in an ad-hoc run (a settings run takes its version's).
   * @default "centre-crop" (the reference, as ad-hoc runs were before the option)
   */
  classification?: ClassificationMode;
  /** The settings version to run under (ignored for an ad-hoc run). @default the current one */
  settingsVersion?: number;
  /** @default the process's queue */
  queue?: JobQueue;
}): Promise<StartedJobRun> {
  const { db, projectId, datasetId } = options;
  const dataset = await db.dataset.findFirst({ where: { id: datasetId, projectId }, select: { id: true } });
  if (!dataset) throw new AppError("NOT_FOUND", "Dataset not found");
  const adHoc = options.params !== undefined || options.model !== undefined || options.objects !== undefined;
  let settingsId: string | null = null;
  let analysedArea: "exclude-data-bar" | "whole-image" = "exclude-data-bar";
  let classification: ClassificationMode = options.classification ?? "centre-crop";
  let run = options;
  if (!adHoc) {
    const pinned = await pinProjectSettings({
      db,
      projectId,
      actorId: options.actorId,
      version: options.settingsVersion,
    });
    settingsId = pinned.id;
    analysedArea = pinned.settings.analysedArea;
    classification = pinned.settings.classification;
    run = { ...options, ...settingsRun(pinned.settings) };
  }
  const { params, model, objects } = resolveRunParams(run);

  return startJobRun({
    db,
    job: analyseDatasetJob,
    projectId,
    actorId: options.actorId,
    payload: { datasetId, params, model, objects, settingsId, analysedArea, classification },
    isSameRun: (active) => active.datasetId === datasetId,
    // Starts of different datasets need not wait for each other.
    lockKey: `${analyseDatasetJob.id}:${datasetId}`,
    auditData: { datasetId, settingsId },
    queue: options.queue,
  });
}
