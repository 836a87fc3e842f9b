/**
 * Per-image results as CSV, generated page by page (keyset pagination over images, then one
 * query for the page's results), so memory stays flat however many images there are.
 * The results are those each image reports under one settings version (src/server/settings),
 * named in the settings_version column; status says "ok", the run's failure, or that the image
 * was not analysed with these settings. One row per image; images without a result still get
 * their file and label.
 * Then the reported object set's per-image numbers (src/server/objects): object count, coverage
 * (object area / image area), d50 of the equivalent diameter in pixels of the label map and in µm
 * (when the image has a pixel size), the largest index of dispersion, and the hash of the set's
 * parameters (objectParamsHash: equal hashes, equal parameters).
 * The rows themselves (and their rounding) are src/server/results/result-rows.ts, which the
 * results view reads too: the page and the file show the same numbers.
 */
import {
  buildResultRows,
  CLUSTER_KS,
  RESULT_ROW_IMAGE_SELECT,
  type ResultRow,
  type ResultRowObjects,
} from "~/server/results/result-rows";
import { findTagColumns, tagCells } from "~/server/conditions/tag-columns";
import { csvRow } from "./csv-cell";
import { exportRowPages, IMAGE_ROW_COLUMNS, imageRowCells, type ResultsExportOptions } from "./export-image-rows";

export const RESULTS_CSV_COLUMNS = [
  ...IMAGE_ROW_COLUMNS,
  "predicted_class",
  "probability",
  "label",
  "model_version",
  "code_version",
  "analysed_at",
  "otsu_threshold",
  "foreground_fraction",
  "mean_contrast",
  ...CLUSTER_KS.map((k) => `cluster_shares_k${k}`),
  "probabilities",
  "descriptors",
  "object_count",
  "object_coverage",
  "object_d50_px",
  "object_d50_um",
  "index_of_dispersion_max",
  "object_params_hash",
  "settings_version",
  "status",
  // Added later: after every earlier column, before the condition tags (which always come last).
  "uncertain",
  "uncertain_reason",
] as const;

/** object_count, object_coverage, object_d50_px, object_d50_um, index_of_dispersion_max, object_params_hash. */
function objectCells(objects: ResultRowObjects | null): (number | string | null)[] {
  if (!objects) return [null, null, null, null, null, null];
  return [
    objects.count,
    objects.coverage,
    objects.d50Px,
    objects.d50Um,
    objects.indexOfDispersionMax,
    objects.paramsHash,
  ];
}

/** The cells of {@link RESULTS_CSV_COLUMNS} for one row (src/server/results/result-rows.ts). */
export function resultsCsvCells(row: ResultRow): (number | string | null)[] {
  return [
    ...imageRowCells({ id: row.imageId, fileName: row.file, dataset: { name: row.dataset } }),
    row.prediction,
    row.probability,
    row.label,
    row.modelVersion,
    row.codeVersion,
    row.analysedAt?.toISOString() ?? null,
    row.otsuThreshold,
    row.foregroundFraction,
    row.meanContrast,
    ...CLUSTER_KS.map((k) => row.clusterShares[k]?.join(";") ?? null),
    Object.entries(row.probabilities)
      .map(([name, p]) => `${name}=${p}`)
      .join(";") || null,
    row.extraDescriptors ? JSON.stringify(row.extraDescriptors) : null,
    ...objectCells(row.objects),
    row.settingsVersion,
    row.status,
    // "true"/"false" (empty without a prediction) and why.
    row.uncertain === null ? null : String(row.uncertain),
    row.uncertainReason,
  ];
}

export async function* streamResultsCsv(options: ResultsExportOptions): AsyncGenerator<string> {
  const { db, scope } = options;
  // Condition tags come last, one column per key present in the scope (src/server/conditions).
  const tagColumns = await findTagColumns({ db, projectId: scope.projectId, datasetId: scope.datasetId });
  yield csvRow([...RESULTS_CSV_COLUMNS, ...tagColumns.map((column) => column.header)]);
  for await (const images of exportRowPages(options, 200, RESULT_ROW_IMAGE_SELECT)) {
    const rows = await buildResultRows({ db, projectId: scope.projectId, settings: options.settings, images });
    yield rows.map((row) => csvRow([...resultsCsvCells(row), ...tagCells(tagColumns, row.tags)])).join("");
  }
}
