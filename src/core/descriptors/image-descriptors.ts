/**
 * A fixed, named vector of measured descriptors of one micrograph, for classifier heads that
 * should generalise beyond the CNN's pooled features: grey-level and texture statistics (Otsu,
 * GLCM contrast) and the shape statistics of the segmented objects (medians of aspect ratio,
 * circularity, solidity, eccentricity; size percentiles; coverage; index of dispersion;
 * box-counting dimension).
 *
 * Everything is computed on the analysis grey (toAnalysisImage) scaled so that its long side is
 * at most DESCRIPTOR_LONG_SIDE px (never upscaled): the cost is bounded whatever the upload, and
 * sizes are in px of that image. Deterministic (no randomness). Names and order are part of
 * DESCRIPTOR_SET_VERSION: a change of meaning gets a new version; a stored head records the
 * version and names it was trained on.
 */
import { toAnalysisImage } from "~/core/analysis/analysis-image";
import { glcmContrast } from "~/core/analysis/glcm-contrast";
import { segmentOtsu } from "~/core/analysis/otsu";
import type { GreyImage, Raster } from "~/core/analysis/raster";
import { boxCountingDimension } from "~/core/objects/box-counting";
import { percentileSorted } from "~/core/objects/image-stats";
import { indexOfDispersion } from "~/core/objects/index-of-dispersion";
import { regionProps } from "~/core/objects/region-props";
import { segmentObjects } from "~/core/objects/segment-objects";

export const DESCRIPTOR_SET_VERSION = 1 as const;
/** Long side of the grey the descriptors are measured on, px. */
export const DESCRIPTOR_LONG_SIDE = 512;

/** The descriptor names, in vector order (version 1). */
export const DESCRIPTOR_NAMES = [
  "grey_mean",
  "grey_std",
  "grey_skew",
  "otsu_foreground_fraction",
  "glcm_contrast_mean",
  "glcm_contrast_std",
  "object_density_per_mpx",
  "object_coverage",
  "log_median_area_px",
  "log_median_equivalent_diameter_px",
  "median_aspect_ratio",
  "median_circularity",
  "median_solidity",
  "median_eccentricity",
  "d10_over_d50",
  "d90_over_d50",
  "index_of_dispersion_max",
  "box_counting_dimension",
] as const;
export type DescriptorName = (typeof DESCRIPTOR_NAMES)[number];

/** The analysis grey of a raster, long side at most DESCRIPTOR_LONG_SIDE. */
export function descriptorGrey(raster: Raster): GreyImage {
  const { width, height } = raster;
  const long = Math.max(width, height);
  const scale = long > DESCRIPTOR_LONG_SIDE ? DESCRIPTOR_LONG_SIDE / long : 1;
  return toAnalysisImage(raster, { width: Math.max(1, Math.round(width * scale)) });
}

function medianOf(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  return percentileSorted(sorted, 50);
}

/** The descriptor vector of a grey image (already at descriptor scale), in DESCRIPTOR_NAMES order. */
export function greyDescriptors(grey: GreyImage): Float32Array {
  const { width, height, data } = grey;
  const n = width * height;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += data[i]!;
  const mean = sum / n;
  let m2 = 0;
  let m3 = 0;
  for (let i = 0; i < n; i++) {
    const d = data[i]! - mean;
    m2 += d * d;
    m3 += d * d * d;
  }
  m2 /= n;
  m3 /= n;
  const std = Math.sqrt(m2);
  const skew = std > 1e-9 ? m3 / std ** 3 : 0;

  const otsu = segmentOtsu(grey);
  let foreground = 0;
  for (let i = 0; i < n; i++) if (otsu.segmented.data[i]! > 0) foreground++;
  const contrast = glcmContrast(otsu.segmented).contrast;
  let cSum = 0;
  let cSq = 0;
  for (let i = 0; i < n; i++) {
    cSum += contrast[i]!;
    cSq += contrast[i]! * contrast[i]!;
  }
  const cMean = cSum / n;
  const cStd = Math.sqrt(Math.max(0, cSq / n - cMean * cMean));

  const objects = segmentObjects(grey);
  const props = regionProps(objects.labels, width, height);
  const mask = new Uint8Array(n);
  let covered = 0;
  for (let i = 0; i < n; i++) {
    if (objects.labels[i] !== 0) {
      mask[i] = 1;
      covered++;
    }
  }
  const diameters = Float64Array.from(props.map((p) => p.equivalent_diameter)).sort();
  const d50 = diameters.length ? percentileSorted(diameters, 50) : 0;
  const ratio = (p: number) => (d50 > 0 ? percentileSorted(diameters, p) / d50 : 0);
  const finite = (values: (number | null)[]) => values.filter((v): v is number => v !== null && Number.isFinite(v));
  const dispersion = width >= 8 && height >= 8 ? indexOfDispersion(grey).max : null;
  const box = boxCountingDimension(mask, width, height).dimension;

  const values: Record<DescriptorName, number> = {
    grey_mean: mean / 255,
    grey_std: std / 255,
    grey_skew: skew,
    otsu_foreground_fraction: foreground / n,
    glcm_contrast_mean: cMean,
    glcm_contrast_std: cStd,
    object_density_per_mpx: (props.length / n) * 1e6,
    object_coverage: covered / n,
    log_median_area_px: Math.log1p(medianOf(props.map((p) => p.area))),
    log_median_equivalent_diameter_px: Math.log1p(d50),
    median_aspect_ratio: medianOf(finite(props.map((p) => p.aspect_ratio))),
    median_circularity: medianOf(finite(props.map((p) => p.circularity))),
    median_solidity: medianOf(finite(props.map((p) => p.solidity))),
    median_eccentricity: medianOf(props.map((p) => p.eccentricity)),
    d10_over_d50: ratio(10),
    d90_over_d50: ratio(90),
    index_of_dispersion_max: dispersion ?? 0,
    box_counting_dimension: box ?? 0,
  };
  return Float32Array.from(DESCRIPTOR_NAMES, (name) => (Number.isFinite(values[name]) ? values[name] : 0));
}

/** The descriptor vector of a decoded image. */
export function imageDescriptors(raster: Raster): Float32Array {
  return greyDescriptors(descriptorGrey(raster));
}
