/**
 * Window/level for the display: a lookup from the image's raw values (8- or 16-bit) to the 8-bit
 * grey the screen shows. Display only: nothing here touches stored data or any measurement
 * (those are computed on the server from the original file).
 *
 *   display = round(255 * t ^ (1 / gamma)),  t = clamp((raw - min) / (max - min), 0, 1)
 *
 * so gamma > 1 brightens the mid-tones and gamma 1 with min..max = the data's range is exactly
 * the server's display rendition of a 16-bit image (render-display.ts).
 */

/** The raw values of the image at the display's size: grey (1) or interleaved RGB (3). */
export type RawSamples = {
  width: number;
  height: number;
  channels: 1 | 3;
  bitDepth: 8 | 16;
  data: Uint8Array | Uint16Array;
};

export type WindowLevel = { min: number; max: number; gamma: number };

export const GAMMA_RANGE = { min: 0.2, max: 5 } as const;

/** The largest raw value of a bit depth. */
export function maxRawValue(bitDepth: 8 | 16): number {
  return bitDepth === 16 ? 65535 : 255;
}

/** Counts of every raw value (all channels together), indexed by the value. */
export function valueHistogram(samples: RawSamples): Uint32Array {
  const counts = new Uint32Array(maxRawValue(samples.bitDepth) + 1);
  const data = samples.data;
  for (let i = 0; i < data.length; i++) counts[data[i]!]!++;
  return counts;
}

/** The smallest value at or below which a fraction `p` (0..1) of the samples lie. */
export function histogramPercentile(counts: Uint32Array, p: number): number {
  let total = 0;
  for (let v = 0; v < counts.length; v++) total += counts[v]!;
  if (total === 0) return 0;
  const wanted = Math.max(1, Math.ceil(p * total));
  let cumulative = 0;
  for (let v = 0; v < counts.length; v++) {
    cumulative += counts[v]!;
    if (cumulative >= wanted) return v;
  }
  return counts.length - 1;
}

/** The smallest and largest value present (0..0 for no samples). */
export function histogramRange(counts: Uint32Array): { min: number; max: number } {
  let min = 0;
  while (min < counts.length && counts[min] === 0) min++;
  if (min === counts.length) return { min: 0, max: 0 };
  let max = counts.length - 1;
  while (max > min && counts[max] === 0) max--;
  return { min, max };
}

/** What the display shows before anyone windows: 8-bit as stored, 16-bit over its data range. */
export function defaultWindow(counts: Uint32Array, bitDepth: 8 | 16): WindowLevel {
  if (bitDepth === 8) return { min: 0, max: 255, gamma: 1 };
  const range = histogramRange(counts);
  return { min: range.min, max: range.max, gamma: 1 };
}

/** "Auto": the 0.5th to the 99.5th percentile, gamma 1 (a flat image keeps a one-value window). */
export function autoWindow(counts: Uint32Array): WindowLevel {
  const min = histogramPercentile(counts, 0.005);
  const max = histogramPercentile(counts, 0.995);
  return { min, max: Math.max(max, min), gamma: 1 };
}

export function sameWindow(a: WindowLevel, b: WindowLevel): boolean {
  return a.min === b.min && a.max === b.max && a.gamma === b.gamma;
}

/** The lookup from every raw value to its display value (0..255). */
export function windowLut(window: WindowLevel, bitDepth: 8 | 16): Uint8Array {
  const lut = new Uint8Array(maxRawValue(bitDepth) + 1);
  const span = window.max - window.min;
  const exponent = 1 / Math.min(GAMMA_RANGE.max, Math.max(GAMMA_RANGE.min, window.gamma));
  for (let v = 0; v < lut.length; v++) {
    // A zero-width window is a threshold: below black, at or above white.
    const t = span > 0 ? Math.min(1, Math.max(0, (v - window.min) / span)) : v >= window.max ? 1 : 0;
    lut[v] = Math.round(255 * (exponent === 1 ? t : Math.pow(t, exponent)));
  }
  return lut;
}

/** The windowed display pixels (RGBA, opaque) of the samples through `lut`. */
export function applyWindow(samples: RawSamples, lut: Uint8Array): Uint8ClampedArray<ArrayBuffer> {
  const pixels = samples.width * samples.height;
  const rgba = new Uint8ClampedArray(pixels * 4);
  const data = samples.data;
  if (samples.channels === 1) {
    const out = new Uint32Array(rgba.buffer);
    // Little-endian RGBA written as one word per pixel: grey, grey, grey, 255.
    const word = new Uint32Array(256);
    for (let g = 0; g < 256; g++) word[g] = (0xff000000 | (g << 16) | (g << 8) | g) >>> 0;
    for (let i = 0; i < pixels; i++) out[i] = word[lut[data[i]!]!]!;
    return rgba;
  }
  for (let i = 0; i < pixels; i++) {
    rgba[i * 4] = lut[data[i * 3]!]!;
    rgba[i * 4 + 1] = lut[data[i * 3 + 1]!]!;
    rgba[i * 4 + 2] = lut[data[i * 3 + 2]!]!;
    rgba[i * 4 + 3] = 255;
  }
  return rgba;
}

/** Log-scaled counts (log(1 + n), 0..1) of `bins` equal bins over [from, to], for drawing. */
export function histogramBins(counts: Uint32Array, from: number, to: number, bins: number): number[] {
  const out = new Array<number>(bins).fill(0);
  const lo = Math.max(0, Math.floor(from));
  const hi = Math.min(counts.length - 1, Math.ceil(to));
  const width = (hi - lo + 1) / bins;
  for (let v = lo; v <= hi; v++) {
    const bin = Math.min(bins - 1, Math.floor((v - lo) / width));
    out[bin]! += counts[v]!;
  }
  const logs = out.map((n) => Math.log1p(n));
  const top = Math.max(...logs, 0);
  return top > 0 ? logs.map((n) => n / top) : logs;
}

/**
 * The raw value(s) at an image point, given the image's own size (the samples may be a
 * downscaled rendition of it): one value for grey, [R, G, B] for colour; null outside.
 */
export function rawValueAt(
  samples: RawSamples,
  image: { width: number; height: number },
  x: number,
  y: number,
): number[] | null {
  if (x < 0 || y < 0 || x >= image.width || y >= image.height) return null;
  const px = Math.min(samples.width - 1, Math.floor((x * samples.width) / image.width));
  const py = Math.min(samples.height - 1, Math.floor((y * samples.height) / image.height));
  const at = (py * samples.width + px) * samples.channels;
  return Array.from(samples.data.subarray(at, at + samples.channels));
}

/** Packs RGBA display pixels into grey samples when every pixel is grey, else RGB. */
export function samplesFromRgba(rgba: Uint8ClampedArray, width: number, height: number): RawSamples {
  const pixels = width * height;
  let grey = true;
  for (let i = 0; i < pixels && grey; i++) {
    grey = rgba[i * 4] === rgba[i * 4 + 1] && rgba[i * 4] === rgba[i * 4 + 2];
  }
  const channels = grey ? 1 : 3;
  const data = new Uint8Array(pixels * channels);
  for (let i = 0; i < pixels; i++) {
    for (let c = 0; c < channels; c++) data[i * channels + c] = rgba[i * 4 + c]!;
  }
  return { width, height, channels, bitDepth: 8, data };
}
