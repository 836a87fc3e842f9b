/**
 * Measurements of a label map (e.g. from segmentObjects): per-object descriptors and per-image
 * statistics, in pixels and, when a pixel size is known, in physical units.
 *
 * - Per object: regionProps (skimage 0.19 definitions, plus circularity and aspect ratio) and,
 *   with `skeleton: true`, the skeleton graph of the object (skeletonize of the foreground, then
 *   skeletonGraph with the label map, so branches never cross from one object to another):
 *   branch and junction counts, total and longest branch length.
 * - Per image: imageStats (count, density, coverage, d10/d50/d90, mean nearest-neighbour distance,
 *   Clark-Evans ratio) over the whole image, the box-counting dimension of the foreground
 *   (label > 0) and the index of dispersion of the grey image (q x q slices, default 4).
 * - Units: `toPhysical` converts each record (lengths x pixel size, areas x pixel size^2, names
 *   suffixed with the unit, e.g. `area_um2`); image statistics get the same treatment
 *   (`density_per_um2`, `d50_um`, ...). Counts, ratios and dimensions have no unit.
 * - An image without objects gives count 0, density 0, coverage 0 and null for every statistic
 *   that needs objects: no NaN and no Infinity anywhere.
 * - At most `maxObjects` objects (default 200 000): more throws a RangeError, since per-object
 *   records of millions of objects are rarely what was wanted (a wrong polarity or threshold is
 *   the usual cause) and would cost gigabytes.
 */
import type { GreyImage } from "../analysis/raster";
import { createStepTimer } from "../timings";
import { boxCountingDimension, type BoxCounting } from "./box-counting";
import { imageStats, type ImageStats } from "./image-stats";
import { indexOfDispersion, type IndexOfDispersion } from "./index-of-dispersion";
import { assertPlane } from "./label-components";
import { regionProps, type RegionProps } from "./region-props";
import { skeletonize } from "./skeleton";
import { skeletonGraph } from "./skeleton-graph";
import { assertPixelSize, toPhysical, unitSuffix, type PhysicalRegionProps, type PixelSize } from "./units";

/** Default cap on the number of measured objects. */
export const MAX_MEASURED_OBJECTS = 200_000;

/** Options of {@link measureObjects}. */
export type MeasureObjectsOptions = {
  /**
   * regionProps(labels) computed already (e.g. on several threads, regionPropsInParallel);
   * computed here when absent.
   */
  props?: RegionProps[];
  /** Slices per side of the index of dispersion. @default 4 */
  q?: number;
  /** Side of one pixel; null or absent = pixels only. */
  pixelSize?: PixelSize | null;
  /** Add per-object skeleton statistics (costs a skeletonization of the foreground). @default false */
  skeleton?: boolean;
  /** Refuse label maps with more objects than this. @default 200000 */
  maxObjects?: number;
};

/** Skeleton statistics of one object, px. */
export type ObjectSkeletonStats = {
  branchCount: number;
  junctionCount: number;
  /** Sum of branch lengths, px. */
  totalLength: number;
  /** Longest branch, px (0 without branches). */
  longestBranch: number;
};

/** One object's measurements, px. */
export type ObjectMeasurement = RegionProps & { skeleton?: ObjectSkeletonStats };

/** Physical-unit version of one object: toPhysical's record plus skeleton lengths. */
export type PhysicalObjectMeasurement = PhysicalRegionProps<string> & Record<string, number | string | null | number[]>;

/** Result of {@link measureObjects}. */
export type ObjectMeasurements = {
  width: number;
  height: number;
  count: number;
  pixelSize: PixelSize | null;
  /** Records in pixels, by increasing label. */
  objects: ObjectMeasurement[];
  /** The same records in physical units (null without a pixel size). */
  physicalObjects: PhysicalObjectMeasurement[] | null;
  /** Image statistics in pixels (see image-stats.ts). */
  stats: ImageStats;
  /** Image statistics in physical units, suffixed names; null without a pixel size. */
  physicalStats: Record<string, number | null> | null;
  /** Box-counting dimension of the foreground (label > 0). */
  boxCounting: BoxCounting;
  /** Index of dispersion of the grey image; null when the image is too small for q x q slices. */
  indexOfDispersion: IndexOfDispersion | null;
  /** Milliseconds per step. */
  timingsMs: Record<string, number>;
};

/**
 * Measures every object of `labels` (Int32Array, row-major, 0 = background) and the image; see
 * the module comment. `grey` is the image the labels were computed on: it gives their size.
 */
export function measureObjects(labels: Int32Array, grey: GreyImage, options: MeasureObjectsOptions = {}) {
  const { width, height } = grey;
  assertPlane(labels.length, width, height, "labels");
  const pixelSize = options.pixelSize ?? null;
  if (pixelSize !== null) assertPixelSize(pixelSize);
  const maxObjects = options.maxObjects ?? MAX_MEASURED_OBJECTS;
  const { lap, finish } = createStepTimer();

  let maxLabel = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i]! > maxLabel) maxLabel = labels[i]!;
  if (maxLabel > maxObjects) {
    throw new RangeError(
      `too many objects: labels go up to ${maxLabel}, more than the limit of ${maxObjects} ` +
        "(check the threshold and polarity, or raise minArea)",
    );
  }

  const props = options.props ?? regionProps(labels, width, height);
  if (props.length > maxObjects) {
    throw new RangeError(`too many objects: ${props.length}, more than the limit of ${maxObjects}`);
  }
  lap("regionProps");

  const foreground = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) foreground[i] = labels[i] !== 0 ? 1 : 0;

  let objects: ObjectMeasurement[] = props;
  if (options.skeleton === true) {
    const graph = skeletonGraph(skeletonize(foreground, width, height), width, height, { labels });
    objects = props.map((record) => {
      const s = graph.objects[record.label - 1];
      return {
        ...record,
        skeleton: {
          branchCount: s?.branchCount ?? 0,
          junctionCount: s?.junctionCount ?? 0,
          totalLength: s?.totalLength ?? 0,
          longestBranch: s?.longestBranch ?? 0,
        },
      };
    });
    lap("skeleton");
  }

  const stats = imageStats(
    props.map((r) => ({ area: r.area, equivalentDiameter: r.equivalent_diameter, centroid: r.centroid })),
    width,
    height,
  );
  lap("imageStats");
  const boxCounting = boxCountingDimension(foreground, width, height);
  lap("boxCounting");
  const q = options.q ?? 4;
  if (!Number.isInteger(q) || q < 2) throw new RangeError(`q must be an integer >= 2, got ${q}`);
  const dispersion =
    Math.floor(height / q) >= 1 && Math.trunc((width * Math.floor(height / q)) / height) >= 1
      ? indexOfDispersion(grey, { q })
      : null;
  lap("indexOfDispersion");

  let physicalObjects: PhysicalObjectMeasurement[] | null = null;
  let physicalStats: Record<string, number | null> | null = null;
  if (pixelSize !== null) {
    const s = unitSuffix(pixelSize.unit);
    const k = pixelSize.value;
    physicalObjects = objects.map((o) => {
      const record = toPhysical(o, pixelSize) as PhysicalObjectMeasurement;
      if (o.skeleton) {
        record.skeleton_branch_count = o.skeleton.branchCount;
        record.skeleton_junction_count = o.skeleton.junctionCount;
        record[`skeleton_total_length_${s}`] = o.skeleton.totalLength * k;
        record[`skeleton_longest_branch_${s}`] = o.skeleton.longestBranch * k;
      }
      return record;
    });
    physicalStats = physicalImageStats(stats, pixelSize);
    lap("units");
  }
  const timingsMs = finish();
  return {
    width,
    height,
    count: props.length,
    pixelSize,
    objects,
    physicalObjects,
    stats,
    physicalStats,
    boxCounting,
    indexOfDispersion: dispersion,
    timingsMs,
  };
}

/** Image statistics in the pixel size's unit: lengths x value, areas x value^2, density / value^2. */
export function physicalImageStats(stats: ImageStats, pixelSize: PixelSize): Record<string, number | null> {
  assertPixelSize(pixelSize);
  const s = unitSuffix(pixelSize.unit);
  const k = pixelSize.value;
  const length = (v: number | null) => (v === null ? null : v * k);
  return {
    count: stats.count,
    coverage: stats.coverage,
    [`density_per_${s}2`]: stats.density / (k * k),
    [`mean_area_${s}2`]: stats.meanArea === null ? null : stats.meanArea * k * k,
    [`mean_diameter_${s}`]: length(stats.meanDiameter),
    [`median_diameter_${s}`]: length(stats.medianDiameter),
    [`d10_${s}`]: length(stats.d10),
    [`d50_${s}`]: length(stats.d50),
    [`d90_${s}`]: length(stats.d90),
    [`mean_nearest_neighbour_${s}`]: length(stats.meanNearestNeighbour),
    clark_evans: stats.clarkEvans,
  };
}
