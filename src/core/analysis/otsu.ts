import { greyHistogram } from "./histogram";
import { assertGreyImage, type GreyImage } from "./raster";

const FLT_EPSILON = 1.1920928955078125e-7;

/**
 * Otsu's threshold over a 256-bin histogram, computed exactly as OpenCV's
 * `threshold(..., THRESH_BINARY | THRESH_OTSU)` does for 8-bit images (getThreshVal_Otsu_8u):
 * same double-precision running means, same FLT_EPSILON guard, and the first bin with the largest
 * between-class variance wins (strict `>`), so ties resolve to the lowest threshold.
 *
 * A histogram with a single occupied bin (a constant image) has no between-class variance: the
 * result is 0, as in OpenCV, so segmentation then marks every pixel above 0 as foreground.
 * An empty histogram also gives 0.
 */
export function otsuThreshold(histogram: ArrayLike<number>): number {
  if (histogram.length !== 256) {
    throw new RangeError(`Otsu needs a 256-bin histogram, got ${histogram.length} bins`);
  }
  let total = 0;
  for (let i = 0; i < 256; i++) total += histogram[i]!;
  if (total === 0) return 0;
  const scale = 1 / total;
  let mu = 0;
  for (let i = 0; i < 256; i++) mu += i * histogram[i]!;
  mu *= scale;

  let mu1 = 0;
  let q1 = 0;
  let maxSigma = 0;
  let maxVal = 0;
  for (let i = 0; i < 256; i++) {
    const pI = histogram[i]! * scale;
    mu1 *= q1;
    q1 += pI;
    const q2 = 1 - q1;
    if (Math.min(q1, q2) < FLT_EPSILON || Math.max(q1, q2) > 1 - FLT_EPSILON) continue;
    mu1 = (mu1 + i * pI) / q1;
    const mu2 = (mu - q1 * mu1) / q2;
    const sigma = q1 * q2 * (mu1 - mu2) * (mu1 - mu2);
    if (sigma > maxSigma) {
      maxSigma = sigma;
      maxVal = i;
    }
  }
  return maxVal;
}

/** THRESH_BINARY: samples strictly above `threshold` become 255, the others 0. */
export function binarize(data: Uint8Array, threshold: number): Uint8Array {
  if (!Number.isFinite(threshold)) throw new RangeError(`threshold must be finite, got ${threshold}`);
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) lut[v] = v > threshold ? 255 : 0;
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = lut[data[i]!]!;
  return out;
}

/** Result of {@link segmentOtsu}. */
export type OtsuSegmentation = {
  /** Otsu's threshold t: pixels > t are foreground. */
  threshold: number;
  /** 0 / 255 mask, same size as the input. */
  segmented: GreyImage;
};

/** Otsu threshold and binary segmentation of a grey image (reference step 3, "Segmentation"). */
export function segmentOtsu(image: GreyImage): OtsuSegmentation {
  assertGreyImage(image);
  const threshold = otsuThreshold(greyHistogram(image.data));
  return {
    threshold,
    segmented: { width: image.width, height: image.height, data: binarize(image.data, threshold) },
  };
}
