/**
 * Handler of retrain-model: collect the labelled images, compute their pooled features through
 * the persistent feature cache (progress: features n / total), train the head with grouped
 * cross-validation, store it as a blob and save the new ModelVersion, in one transaction with
 * the run's completion. Pure service calls: the queue is only reached through
 * `completeQueueJob`, so tests run it without pg-boss.
 */
import "server-only";
import { recordChange } from "~/server/audit/record-change";
import { AppError } from "~/server/errors";
import type { FeatureCache } from "~/server/inference/feature-cache";
import { ModelContractError } from "~/server/inference/onnx-contract";
import { collectTrainingSet } from "~/server/models/collect-training-set";
import { persistentFeatureCache } from "~/server/models/feature-cache-directory";
import { resolveRetrainBase } from "~/server/models/resolve-retrain-base";
import { trainHeadFromLabels } from "~/server/models/train-head-from-labels";
import type { RetrainModelPayload } from "./definitions";
import { attemptSingleJobRun, finishSingleJobRun, reportSingleJobProgress } from "./single-job-run";
import type { SingleJobHandlerOptions, SingleJobOutcome } from "./single-job-run";

export type RetrainModelResult = SingleJobOutcome<{
  modelVersionId?: string;
  features?: { computed: number; cached: number };
  timingsMs?: { features: number; training: number; total: number };
}>;

/** Problems that retrying cannot fix: the run fails with the message at once. */
function isPermanent(error: unknown): boolean {
  return error instanceof AppError || error instanceof RangeError || error instanceof ModelContractError;
}

function retrainedName(backboneName: string, labels: number, date: Date): string {
  return `${backboneName} + ${labels} labels (${date.toISOString().slice(0, 10)})`;
}

export async function handleRetrainModel(
  options: SingleJobHandlerOptions<RetrainModelPayload> & {
    /** @default the persistent cache under DATA_DIR/cache/features */
    featureCache?: FeatureCache;
  },
): Promise<RetrainModelResult> {
  const { db, payload } = options;
  return attemptSingleJobRun(
    { ...options, startPayload: { phase: "features" }, isPermanent },
    async (run): Promise<RetrainModelResult> => {
      const base = await resolveRetrainBase({
        db,
        projectId: payload.projectId,
        baseVersionId: payload.baseVersionId,
      });
      const set = await collectTrainingSet({ db, projectId: payload.projectId, datasetId: payload.datasetId });
      const trained = await trainHeadFromLabels({
        store: options.store,
        backbonePath: base.backbonePath,
        set,
        featureCache: options.featureCache ?? persistentFeatureCache(),
        features: payload.featureSet ?? "cnn",
        onProgress: (progress) =>
          reportSingleJobProgress({
            db,
            jobRunId: run.id,
            done: progress.done,
            total: progress.total,
            payload: { phase: progress.phase },
          }),
      });
      if ("stopped" in trained) {
        await db.$transaction((tx) => options.completeQueueJob(tx));
        return { result: "run-not-running" };
      }

      const labels = Object.keys(trained.labelSnapshot).length;
      const { result, written } = await finishSingleJobRun({
        db,
        jobRunId: run.id,
        completeQueueJob: options.completeQueueJob,
        write: async (tx, current) => {
          const version = await tx.modelVersion.create({
            data: {
              projectId: payload.projectId,
              name: retrainedName(base.backboneName, labels, new Date()),
              backboneFile: base.base.backboneFile,
              backboneSha256: base.base.backboneSha256,
              headBlobKey: trained.headBlobKey,
              classes: trained.head.classes,
              metrics: { ...trained.metrics, datasetId: payload.datasetId ?? null },
              labelSnapshot: trained.labelSnapshot,
              parentId: base.base.id,
              createdById: current.createdById,
            },
          });
          // The run's own "job-run.updated" event follows in finishSingleJobRun, same transaction.
          await recordChange(tx, {
            projectId: payload.projectId,
            actorId: current.createdById,
            action: "model-version.create",
            target: { type: "ModelVersion", id: version.id },
            data: {
              name: version.name,
              jobRunId: current.id,
              labels,
              weightedAccuracy: trained.metrics.weightedAccuracy,
              weightedF1: trained.metrics.weightedF1,
            },
          });
          return version;
        },
        payload: (version) => ({
          phase: "done",
          modelVersionId: version.id,
          features: trained.metrics.features,
          timingsMs: trained.metrics.timingsMs,
        }),
      });
      return {
        result,
        modelVersionId: written?.id,
        features: trained.metrics.features,
        timingsMs: trained.metrics.timingsMs,
      };
    },
  );
}
