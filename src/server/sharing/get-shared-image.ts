/**
 * The read-only view of one image behind a share link: the image, the overlays, annotations,
 * prediction and metrics the link includes, and nothing else. Only names and values leave: no
 * author ids, no analysis ids, no project or dataset ids; every URL carries the token.
 */
import { listAnalysisMaps, type MapRole } from "~/server/analysis/analysis-maps";
import {
  analysisDescriptorsSchema,
  clusterStatsSchema,
  probabilitiesSchema,
  storedAnalysisParamsSchema,
} from "~/server/analysis/analysis-record";
import { parseRegionGeometry, type RegionGeometry } from "~/core/regions/region-geometry";
import { findNewestAnalysis } from "~/server/analysis/find-newest-analysis";
import { mapRectOf } from "~/server/analysis/cam-frame";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import type { PixelSize } from "~/core/objects/units";
import { pixelSizeOf } from "~/server/objects/pixel-size";
import { resolveShareLink } from "./resolve-share-link";
import { imageInScopeWhere } from "./share-scope";
import { sharedImageUrl, sharedOverlayUrl } from "./shared-urls";
import { PIXEL_SIZE_FIELDS } from "~/server/objects/pixel-size";

export type SharedOverlay = {
  name: string;
  role: MapRole;
  url: string;
  /**
   * Where the map lies over the image, in original pixels: the CAM covers the classifier's centre
   * crop or (tiles mode) the analysed area; every other map the whole image.
   */
  rect: { x: number; y: number; width: number; height: number };
};

export type SharedImage = {
  link: { kind: "dataset" | "image"; datasetName: string | null };
  image: {
    id: string;
    fileName: string;
    width: number;
    height: number;
    displayUrl: string;
    /** The raw values for window/level (a 16-bit PNG of a 16-bit image, else the display). */
    samplesUrl: string;
    bitDepth: number;
    channels: number;
    /** The size of one original pixel (for the scale bar), null when the image has none. */
    pixelSize: PixelSize | null;
  };
  overlays: SharedOverlay[];
  annotations: {
    label: { name: string; color: string } | null;
    regions: { geometry: RegionGeometry; className: string | null; color: string | null }[];
  } | null;
  prediction: {
    className: string;
    probability: number | null;
    probabilities: { className: string; probability: number }[];
    model: string | null;
  } | null;
  metrics: {
    otsuThreshold: number | null;
    foregroundFraction: number | null;
    meanContrast: number | null;
    clusterShares: { k: number; areaPercent: number[] }[];
  } | null;
};

export async function getSharedImage(options: { db: Db; token: string; imageId: string }): Promise<SharedImage> {
  const { db, token } = options;
  const link = await resolveShareLink({ db, token });
  const image = await db.image.findFirst({
    where: imageInScopeWhere(link, options.imageId),
    select: {
      id: true,
      fileName: true,
      width: true,
      height: true,
      bitDepth: true,
      channels: true,
      ...PIXEL_SIZE_FIELDS,
      dataset: { select: { name: true } },
    },
  });
  if (!image) throw new AppError("NOT_FOUND", "Image not found");
  const include = link.scope.include;
  const analysis = await findNewestAnalysis({
    db,
    imageId: image.id,
    imageWhere: { projectId: link.projectId },
  });

  const overlays: SharedOverlay[] = analysis
    ? listAnalysisMaps(analysis.mapKeys)
        .filter((map) => (include.overlays as string[]).includes(map.role))
        .map((map) => ({
          name: map.name,
          role: map.role,
          url: sharedOverlayUrl(token, image.id, map.name),
          rect: mapRectOf(map, image),
        }))
    : [];

  let annotations: SharedImage["annotations"] = null;
  if (include.annotations) {
    const [label, regions] = await Promise.all([
      db.imageLabel.findFirst({
        where: { imageId: image.id, image: { projectId: link.projectId } },
        select: { labelClass: { select: { name: true, color: true } } },
      }),
      db.region.findMany({
        where: { imageId: image.id, image: { projectId: link.projectId } },
        orderBy: { createdAt: "asc" },
        select: { geometry: true, labelClass: { select: { name: true, color: true } } },
      }),
    ]);
    annotations = {
      label: label ? label.labelClass : null,
      regions: regions.map((region) => ({
        geometry: parseRegionGeometry(region.geometry),
        className: region.labelClass?.name ?? null,
        color: region.labelClass?.color ?? null,
      })),
    };
  }

  let prediction: SharedImage["prediction"] = null;
  if (include.prediction && analysis?.prediction) {
    const record = probabilitiesSchema.safeParse(analysis.probabilities);
    const probabilities = record.success
      ? Object.entries(record.data).map(([className, probability]) => ({ className, probability }))
      : [];
    const params = storedAnalysisParamsSchema.safeParse(analysis.params);
    prediction = {
      className: analysis.prediction,
      probability: probabilities.find((p) => p.className === analysis.prediction)?.probability ?? null,
      probabilities,
      model: analysis.modelVersion?.name ?? (params.success ? (params.data.classifier?.model ?? null) : null),
    };
  }

  let metrics: SharedImage["metrics"] = null;
  if (include.metrics && analysis) {
    const descriptors = analysisDescriptorsSchema.safeParse(analysis.descriptors);
    const clusters = clusterStatsSchema.safeParse(analysis.clusterStats);
    metrics = {
      otsuThreshold: descriptors.success ? descriptors.data.otsuThreshold : null,
      foregroundFraction: descriptors.success ? descriptors.data.foregroundFraction : null,
      meanContrast: descriptors.success ? descriptors.data.meanContrast : null,
      clusterShares: clusters.success
        ? Object.values(clusters.data)
            .map((stats) => ({ k: stats.k, areaPercent: stats.areaPercent }))
            .sort((a, b) => a.k - b.k)
        : [],
    };
  }

  return {
    link: { kind: link.scope.kind, datasetName: link.scope.kind === "dataset" ? image.dataset.name : null },
    image: {
      id: image.id,
      fileName: image.fileName,
      width: image.width,
      height: image.height,
      displayUrl: sharedImageUrl(token, image.id, "display"),
      samplesUrl: sharedImageUrl(token, image.id, "samples"),
      bitDepth: image.bitDepth,
      channels: image.channels,
      pixelSize: pixelSizeOf(image),
    },
    overlays,
    annotations,
    prediction,
    metrics,
  };
}
