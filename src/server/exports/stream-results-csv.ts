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
 */
import {
  analysisDescriptorsSchema,
  clusterStatsSchema,
  probabilitiesSchema,
  storedAnalysisParamsSchema,
} from "~/server/analysis/analysis-record";
import { KMEANS_MAX_K, KMEANS_MIN_K } from "~/core/analysis";
import { findReportedAnalyses } from "~/server/analysis/find-newest-analysis";
import { findReportedObjectSets, type NewestObjectSet } from "~/server/objects/find-newest-object-sets";
import { labelPixelSizeOf } from "~/server/objects/object-set-dto";
import { convertLength } from "~/server/objects/pixel-size";
import { findSettingsFailures } from "~/server/settings/settings-results";
import { csvRow } from "./csv-cell";
import {
  exportRowPages,
  finiteOrNull as finite,
  IMAGE_ROW_COLUMNS,
  imageRowCells,
  PIXEL_SIZE_SELECT,
  type ResultsExportOptions,
} from "./export-image-rows";

const CLUSTER_KS = Array.from({ length: KMEANS_MAX_K - KMEANS_MIN_K + 1 }, (_, i) => KMEANS_MIN_K + i);
const KNOWN_DESCRIPTORS = new Set(["otsuThreshold", "foregroundFraction", "meanContrast"]);

/** The status of an image never analysed under the export's settings version. */
const NOT_RUN = "not analysed with these settings";

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
] as const;

const round = (value: number, digits: number) => Number(value.toFixed(digits));

/** object_count, object_coverage, object_d50_px, object_d50_um, index_of_dispersion_max, object_params_hash. */
function objectColumns(
  image: { width: number; pixelSizeUm: number | null; pixelSizeUnit: string | null },
  set: NewestObjectSet | undefined,
): (number | string | null)[] {
  if (!set) return [null, null, null, null, null, null];
  const stats = (set.imageStats ?? {}) as Record<string, unknown>;
  const d50 = finite(stats.d50);
  const pixel = labelPixelSizeOf(image, set.width);
  const dispersion = stats.indexOfDispersion as { max?: unknown } | null | undefined;
  return [
    set.count,
    finite(stats.coverage) === null ? null : round(stats.coverage as number, 6),
    d50 === null ? null : round(d50, 4),
    d50 === null || !pixel ? null : Number((d50 * convertLength(pixel.value, pixel.unit, "µm")).toPrecision(8)),
    finite(dispersion?.max),
    set.paramsHash,
  ];
}

export async function* streamResultsCsv(options: ResultsExportOptions): AsyncGenerator<string> {
  const { db, scope } = options;
  yield csvRow(RESULTS_CSV_COLUMNS);
  const pages = exportRowPages(options, 200, {
    ...PIXEL_SIZE_SELECT,
    label: { select: { labelClass: { select: { name: true } } } },
  });
  for await (const images of pages) {
    const imageIds = images.map((image) => image.id);
    const [newest, objectSets, failures] = await Promise.all([
      findReportedAnalyses({ db, projectId: scope.projectId, settings: options.settings, imageIds }),
      findReportedObjectSets({ db, projectId: scope.projectId, settings: options.settings, imageIds }),
      findSettingsFailures({ db, projectId: scope.projectId, settings: options.settings, imageIds }),
    ]);

    let chunk = "";
    for (const image of images) {
      const analysis = newest.get(image.id);
      const probabilities = probabilitiesSchema.safeParse(analysis?.probabilities);
      const probs = probabilities.success ? probabilities.data : {};
      const descriptors = analysisDescriptorsSchema.safeParse(analysis?.descriptors);
      const clusters = clusterStatsSchema.safeParse(analysis?.clusterStats);
      const params = storedAnalysisParamsSchema.safeParse(analysis?.params);
      const extraDescriptors =
        analysis?.descriptors && typeof analysis.descriptors === "object" && !Array.isArray(analysis.descriptors)
          ? Object.fromEntries(Object.entries(analysis.descriptors).filter(([key]) => !KNOWN_DESCRIPTORS.has(key)))
          : {};
      const prediction = analysis?.prediction ?? null;
      chunk += csvRow([
        ...imageRowCells(image),
        prediction,
        prediction !== null && prediction in probs ? round(probs[prediction]!, 6) : null,
        image.label?.labelClass.name ?? null,
        analysis?.modelVersion?.name ?? (params.success ? (params.data.classifier?.model ?? null) : null),
        analysis?.codeVersion ?? null,
        analysis?.createdAt.toISOString() ?? null,
        descriptors.success ? descriptors.data.otsuThreshold : null,
        descriptors.success ? round(descriptors.data.foregroundFraction, 6) : null,
        descriptors.success ? round(descriptors.data.meanContrast, 6) : null,
        ...CLUSTER_KS.map((k) => {
          const stats = clusters.success ? clusters.data[String(k)] : undefined;
          return stats ? stats.areaPercent.map((share) => round(share, 3)).join(";") : null;
        }),
        Object.entries(probs)
          .map(([name, p]) => `${name}=${round(p, 6)}`)
          .join(";") || null,
        Object.keys(extraDescriptors).length > 0 ? JSON.stringify(extraDescriptors) : null,
        ...objectColumns(image, objectSets.get(image.id)),
        options.settings.version,
        analysis ? "ok" : failures.has(image.id) ? `failed: ${failures.get(image.id)}` : NOT_RUN,
      ]);
    }
    yield chunk;
  }
}
