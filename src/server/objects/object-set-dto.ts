/**
 * An ObjectSet as the workspace (and objects.csv) sees it: the stored numbers in pixels of the
 * label map, plus the same in the image's CURRENT pixel size (so setting a scale shows units at
 * once, without recomputing). Physical values use the side of one label-map pixel,
 * `labelPixelSize` = the image's pixel size x image.width / width (1 unless the image was
 * resampled to OBJECTS_MAX_SIDE).
 */
import type { Prisma } from "~/generated/prisma/client";
import type { ImageStats } from "~/core/objects/image-stats";
import type { ObjectMeasurement } from "~/core/objects/measure-objects";
import { physicalImageStats } from "~/core/objects/measure-objects";
import type { ObjectSegmentationParams } from "~/core/objects/segment-objects";
import { toPhysical, unitSuffix, type PixelSize } from "~/core/objects/units";
import { objectImageStatsSchema, objectRecordsSchema, type ObjectRecord } from "./object-set-record";
import { pixelSizeOf, scalePixelSize } from "./pixel-size";

export const OBJECT_SET_SELECT = {
  id: true,
  imageId: true,
  method: true,
  params: true,
  paramsHash: true,
  codeVersion: true,
  width: true,
  height: true,
  count: true,
  threshold: true,
  polarity: true,
  imageStats: true,
  objects: true,
  objectsKey: true,
  createdAt: true,
  image: { select: { width: true, height: true, pixelSizeUm: true, pixelSizeUnit: true } },
} satisfies Prisma.ObjectSetSelect;

export type ObjectSetRow = Prisma.ObjectSetGetPayload<{ select: typeof OBJECT_SET_SELECT }>;

/**
 * One object: every pixel field of the core's record (label, area, perimeter, centroid [row, col],
 * bbox [minRow, minCol, maxRow, maxCol), equivalent_diameter, axis_major_length, axis_minor_length,
 * eccentricity, orientation, area_convex, solidity, extent, feret_diameter_max, circularity,
 * aspect_ratio) and, when the image has a pixel size, the physical ones: `unit` and suffixed
 * fields such as `area_um2`, `equivalent_diameter_um`, `centroid_row_um` (units.ts, toPhysical).
 */
export type ObjectRecordDto = ObjectRecord & Partial<ObjectMeasurement> & Record<string, unknown>;

export type ObjectSetDto = {
  id: string;
  imageId: string;
  createdAt: Date;
  codeVersion: string;
  /** How the objects were found: "classical" (params: ObjectSegmentationParams) or "sam2" (params: Sam2ObjectParams). */
  method: "classical" | "sam2";
  params: ObjectSegmentationParams;
  paramsHash: string;
  count: number;
  /** The grey threshold used; objects are grey > threshold ("bright") or <= threshold ("dark"). */
  threshold: number;
  polarity: "bright" | "dark";
  /** Size of the label map; px values are pixels of it. */
  width: number;
  height: number;
  /** The image's pixel size now (per image pixel), or null. */
  pixelSize: PixelSize | null;
  /** Side of one label-map pixel (pixelSize x image.width / width), or null. */
  labelPixelSize: PixelSize | null;
  /** ImageStats (count, density, coverage, meanArea, d10, d50, d90, ...) + boxCounting + indexOfDispersion, px. */
  imageStats: Partial<ImageStats> & Record<string, unknown>;
  /** physicalImageStats (density_per_um2, d50_um, ...) or null without a pixel size. */
  physicalStats: Record<string, number | null> | null;
  /** The first OBJECT_RECORDS_INLINE_MAX records (by label); `objectsTruncated` when there are more. */
  objects: ObjectRecordDto[];
  objectsTruncated: boolean;
  /** RGBA PNG of the labels (object-set-labels.ts for the encoding). */
  labelMapUrl: string;
};

/** The physical fields of one pixel record (toPhysical plus the skeleton lengths). */
export function physicalFields(record: ObjectRecord, pixelSize: PixelSize): Record<string, unknown> {
  const physical: Record<string, unknown> = { ...toPhysical(record as unknown as ObjectMeasurement, pixelSize) };
  const skeleton = (record as Partial<ObjectMeasurement>).skeleton;
  if (skeleton) {
    const s = unitSuffix(pixelSize.unit);
    physical[`skeleton_total_length_${s}`] = skeleton.totalLength * pixelSize.value;
    physical[`skeleton_longest_branch_${s}`] = skeleton.longestBranch * pixelSize.value;
  }
  return physical;
}

/** The side of one label-map pixel for an image of `imageWidth` whose label map is `width` wide. */
export function labelPixelSizeOf(
  image: { width: number; pixelSizeUm: number | null; pixelSizeUnit: string | null },
  labelWidth: number,
): PixelSize | null {
  const pixelSize = pixelSizeOf(image);
  return pixelSize && labelWidth > 0 ? scalePixelSize(pixelSize, image.width / labelWidth) : null;
}

export function withPhysical(records: readonly ObjectRecord[], labelPixelSize: PixelSize | null): ObjectRecordDto[] {
  if (!labelPixelSize) return records as ObjectRecordDto[];
  return records.map((record) => ({ ...record, ...physicalFields(record, labelPixelSize) }));
}

export function toObjectSetDto(row: ObjectSetRow): ObjectSetDto {
  const pixelSize = pixelSizeOf(row.image);
  const labelPixelSize = labelPixelSizeOf(row.image, row.width);
  const parsedStats = objectImageStatsSchema.safeParse(row.imageStats);
  const imageStats = (parsedStats.success ? parsedStats.data : {}) as ObjectSetDto["imageStats"];
  const parsedObjects = objectRecordsSchema.safeParse(row.objects);
  const records = (parsedObjects.success ? parsedObjects.data : []) as ObjectRecord[];
  return {
    id: row.id,
    imageId: row.imageId,
    createdAt: row.createdAt,
    codeVersion: row.codeVersion,
    method: row.method === "sam2" ? "sam2" : "classical",
    params: row.params as ObjectSegmentationParams,
    paramsHash: row.paramsHash,
    count: row.count,
    threshold: row.threshold,
    polarity: row.polarity === "dark" ? "dark" : "bright",
    width: row.width,
    height: row.height,
    pixelSize,
    labelPixelSize,
    imageStats,
    physicalStats:
      labelPixelSize && typeof imageStats.density === "number"
        ? physicalImageStats(imageStats as ImageStats, labelPixelSize)
        : null,
    objects: withPhysical(records, labelPixelSize),
    objectsTruncated: records.length < row.count,
    labelMapUrl: `/api/object-sets/${row.id}/labels`,
  };
}
