import { assertGreyImage, type GreyImage } from "./raster";

/**
 * Spreads small integer values (cluster labels 0..k-1, contrast counts 0..max) over the 0..255
 * index range of a colour map, as matplotlib's imshow does with vmin = 0 and vmax = `max`:
 * index = min(255, floor(v / max * 256)). `max` 0 maps everything to 0.
 */
export function scaleToColormapIndex(image: GreyImage, max: number): GreyImage {
  assertGreyImage(image);
  if (!Number.isFinite(max) || max < 0) throw new RangeError(`max must be a non-negative number, got ${max}`);
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) lut[v] = max === 0 ? 0 : Math.min(255, Math.floor((Math.min(v, max) / max) * 256));
  const out = new Uint8Array(image.data.length);
  for (let i = 0; i < out.length; i++) out[i] = lut[image.data[i]!]!;
  return { width: image.width, height: image.height, data: out };
}
