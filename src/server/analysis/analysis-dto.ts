import { decideUncertainty, type UncertaintyDecision, type UncertaintySettings } from "~/core/analysis/uncertainty";
import { DEFAULT_UNCERTAINTY_SETTINGS } from "~/core/settings/analysis-settings";
import { listAnalysisMaps, type MapRole } from "./analysis-maps";
import {
  analysisDescriptorsSchema,
  clusterStatsSchema,
  probabilitiesSchema,
  storedAnalysisParamsSchema,
  type ClusterStats,
  type CamFrame,
  type StoredAnalysisParams,
} from "./analysis-record";
import { mapRectOf } from "./cam-frame";

/** A stored 8-bit map of an analysis, fetched as a PNG and coloured in the browser. */
export type AnalysisMapDto = {
  name: string;
  role: MapRole;
  url: string;
  width: number;
  height: number;
  encoding: "grey" | "mask" | "colormap-index" | "labels" | "heat";
  k: number | null;
  camClass: { index: number; name: string } | null;
  /**
   * Where the map lies over the image, in original pixels (cam-frame.ts): the whole image, except
   * a CAM, which covers the classifier's centre crop or (tiles mode) the analysed area.
   */
  rect: CamFrame;
};

export type ClassProbability = { className: string; probability: number };

export type AnalysisDto = {
  id: string;
  imageId: string;
  createdAt: Date;
  codeVersion: string;
  /** null when the row predates the current parameter format. */
  params: StoredAnalysisParams | null;
  /** K values with a stored cluster map, ascending. */
  ks: number[];
  modelVersionId: string | null;
  prediction: string | null;
  /** Probability of the predicted class, when known. */
  confidence: number | null;
  probabilities: ClassProbability[];
  maps: AnalysisMapDto[];
  clusterStats: ClusterStats | null;
  /** The temperature applied and the OOD score with the model's threshold; null: not recorded. */
  calibration: { temperature: number; oodScore: number | null; oodThreshold: number | null } | null;
  /** "uncertain" (with the reason) under the project's uncertainty settings, for a prediction. */
  uncertainty: UncertaintyDecision;
};

export const ANALYSIS_SELECT = {
  id: true,
  imageId: true,
  createdAt: true,
  codeVersion: true,
  params: true,
  modelVersionId: true,
  prediction: true,
  probabilities: true,
  mapKeys: true,
  clusterStats: true,
  descriptors: true,
  // Where a CAM lies depends on the image's size (cam-frame.ts).
  image: { select: { width: true, height: true } },
} as const;

type AnalysisRow = {
  id: string;
  imageId: string;
  createdAt: Date;
  codeVersion: string;
  params: unknown;
  modelVersionId: string | null;
  prediction: string | null;
  probabilities: unknown;
  mapKeys: unknown;
  clusterStats: unknown;
  descriptors?: unknown;
  image: { width: number; height: number };
};

/** The calibration stored with an analysis (analysis-record.ts), or null. */
export function storedCalibration(descriptors: unknown): AnalysisDto["calibration"] {
  const parsed = analysisDescriptorsSchema.safeParse(descriptors);
  return (parsed.success && parsed.data.calibration) || null;
}

/** Whether a stored prediction is reported as "uncertain" under `settings`, and why. */
export function storedUncertainty(
  prediction: string | null,
  confidence: number | null,
  calibration: AnalysisDto["calibration"],
  settings: UncertaintySettings,
): UncertaintyDecision {
  if (prediction === null) return { uncertain: false, reason: null };
  return decideUncertainty({ confidence, ...calibration }, settings);
}

export function toAnalysisDto(
  row: AnalysisRow,
  uncertaintySettings: UncertaintySettings = DEFAULT_UNCERTAINTY_SETTINGS,
): AnalysisDto {
  const maps = listAnalysisMaps(row.mapKeys).map((map): AnalysisMapDto => ({
    name: map.name,
    role: map.role,
    url: `/api/analyses/${row.id}/maps/${map.name}`,
    width: map.ref.width,
    height: map.ref.height,
    encoding: map.ref.encoding,
    k: map.k,
    camClass: map.camClass,
    rect: mapRectOf(map, row.image),
  }));
  const probabilitiesRecord = probabilitiesSchema.safeParse(row.probabilities);
  const probabilities = probabilitiesRecord.success
    ? Object.entries(probabilitiesRecord.data).map(([className, probability]) => ({ className, probability }))
    : [];
  const predicted = probabilities.find((p) => p.className === row.prediction);
  const params = storedAnalysisParamsSchema.safeParse(row.params);
  const clusterStats = clusterStatsSchema.safeParse(row.clusterStats);
  const calibration = storedCalibration(row.descriptors);
  const confidence = predicted?.probability ?? null;
  return {
    id: row.id,
    imageId: row.imageId,
    createdAt: row.createdAt,
    codeVersion: row.codeVersion,
    params: params.success ? params.data : null,
    ks: maps.flatMap((m) => (m.k !== null ? [m.k] : [])),
    modelVersionId: row.modelVersionId,
    prediction: row.prediction,
    confidence,
    probabilities,
    maps,
    clusterStats: clusterStats.success ? clusterStats.data : null,
    calibration,
    uncertainty: storedUncertainty(row.prediction, confidence, calibration, uncertaintySettings),
  };
}
