/** The DTO of a ModelVersion for the UI (models panel, the workspace's model picker). */
import type { FeatureSet } from "~/core/descriptors/feature-sets";
import type { ModelVersion } from "~/generated/prisma/client";
import { modelVersionRef } from "./model-ref";
import {
  crossValidatedScoresOf,
  retrainMetricsSchema,
  syntheticTestOf,
  type MeasuredScores,
  type OwnLabelScores,
  type RetrainMetrics,
} from "./model-version-metrics";

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
  /**
   * The built-in model card's held-out synthetic test; null for retrained versions (they have
   * none) and cards without one. Never mixed with {@link ownLabels}: the two measure different things.
   */
  syntheticTest: MeasuredScores | null;
  /**
   * Scores on this project's own labels: a retrained version's cross-validation, or a built-in
   * model's stored analyses against the current labels; null when there are none (see ownLabelsMissing).
   */
  ownLabels: OwnLabelScores | null;
  /** Why {@link ownLabels} is null, in words; null when it is not. */
  ownLabelsMissing: string | null;
  /** What the head reads: built-in heads and versions made before feature sets read the CNN features. */
  featureSet: FeatureSet;
  /** Retrained versions: what they were trained on and how. */
  training: Pick<
    RetrainMetrics,
    "perClass" | "skipped" | "datasetId" | "features" | "timingsMs" | "groupedBy" | "groups" | "folds" | "validation"
  > | null;
  /** Number of labelled images the version was trained from. */
  labelCount: number;
};

export function toModelVersionDto(
  row: ModelVersion,
  extra: {
    ref?: string;
    isDefault: boolean;
    available: boolean;
    unavailableReason: string | null;
    /** A built-in model's scores on the project's labels (stored-analysis-label-metrics.ts). */
    storedLabelScores?: { scores: OwnLabelScores | null; reason: string | null };
  },
): ModelVersionDto {
  const retrained = retrainMetricsSchema.safeParse(row.metrics);
  const ownLabels = retrained.success ? crossValidatedScoresOf(row.metrics) : (extra.storedLabelScores?.scores ?? null);
  const snapshot = row.labelSnapshot;
  const labelCount =
    typeof snapshot === "object" && snapshot !== null && !Array.isArray(snapshot) ? Object.keys(snapshot).length : 0;
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
    syntheticTest: syntheticTestOf(row.metrics, row.classes),
    ownLabels,
    ownLabelsMissing: ownLabels
      ? null
      : (extra.storedLabelScores?.reason ??
        (row.projectId === null
          ? "Not measured on this project's labels."
          : "This version has no cross-validated metrics stored.")),
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
          validation: retrained.data.validation,
        }
      : null,
    labelCount,
  };
}
