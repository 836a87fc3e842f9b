/** The DTO of a ModelVersion for the UI (models panel, the workspace's model picker). */
import type { FeatureSet } from "~/core/descriptors/feature-sets";
import type { ModelVersion } from "~/generated/prisma/client";
import { modelVersionRef } from "./model-ref";
import { retrainMetricsSchema, scoresOf, type ModelVersionScores, type RetrainMetrics } from "./model-version-metrics";

export type ModelVersionDto = {
  id: string;
  name: string;
  /** Shipped in models/ (projectId null); otherwise retrained in this project. */
  builtIn: boolean;
  /** What an analysis names this classifier by (analysis.run's `model`). */
  ref: string;
  /** The model analyses use when none is named. */
  isDefault: boolean;
  /** Whether it can classify now (its network file is installed and unchanged). */
  available: boolean;
  unavailableReason: string | null;
  backboneFile: string;
  backboneSha256: string;
  classes: string[];
  parentId: string | null;
  createdById: string | null;
  createdAt: Date;
  scores: ModelVersionScores | null;
  /** What the head reads: built-in heads and versions made before feature sets read the CNN features. */
  featureSet: FeatureSet;
  /** Retrained versions: what they were trained on and how. */
  training: Pick<RetrainMetrics, "perClass" | "skipped" | "datasetId" | "features" | "timingsMs" | "groupedBy" | "groups" | "folds"> | null;
  /** Number of labelled images the version was trained from. */
  labelCount: number;
};

export function toModelVersionDto(
  row: ModelVersion,
  extra: { ref?: string; isDefault: boolean; available: boolean; unavailableReason: string | null },
): ModelVersionDto {
  const retrained = retrainMetricsSchema.safeParse(row.metrics);
  const snapshot = row.labelSnapshot;
  const labelCount = typeof snapshot === "object" && snapshot !== null && !Array.isArray(snapshot) ? Object.keys(snapshot).length : 0;
  return {
    id: row.id,
    name: row.name,
    builtIn: row.projectId === null,
    ref: extra.ref ?? modelVersionRef(row.id),
    isDefault: extra.isDefault,
    available: extra.available,
    unavailableReason: extra.unavailableReason,
    backboneFile: row.backboneFile,
    backboneSha256: row.backboneSha256,
    classes: row.classes,
    parentId: row.parentId,
    createdById: row.createdById,
    createdAt: row.createdAt,
    scores: scoresOf(row.metrics),
    featureSet: (retrained.success ? retrained.data.featureSet : undefined) ?? "cnn",
    training: retrained.success
      ? {
          perClass: retrained.data.perClass,
          skipped: retrained.data.skipped,
          datasetId: retrained.data.datasetId,
          features: retrained.data.features,
          timingsMs: retrained.data.timingsMs,
          groupedBy: retrained.data.groupedBy,
          groups: retrained.data.groups,
          folds: retrained.data.folds,
        }
      : null,
    labelCount,
  };
}
