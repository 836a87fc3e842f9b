/** Window/level (window-level.ts): histogram, percentiles, lookups for 8- and 16-bit, binning. */
import { describe, expect, it } from "vitest";
import {
  applyWindow,
  autoWindow,
  defaultWindow,
  histogramBins,
  histogramPercentile,
  histogramRange,
  rawValueAt,
  samplesFromRgba,
  valueHistogram,
  windowLut,
  type RawSamples,
} from "../window-level";

function grey16(values: number[], width = values.length): RawSamples {
  return { width, height: values.length / width, channels: 1, bitDepth: 16, data: Uint16Array.from(values) };
}

describe("histogram and percentiles", () => {
  const ramp = grey16(Array.from({ length: 1000 }, (_, i) => 1000 + i));

  it("counts every raw value and finds the data range", () => {
    const counts = valueHistogram(ramp);
    expect(counts.length).toBe(65536);
    expect(counts[1000]).toBe(1);
    expect(counts[999]).toBe(0);
    expect(histogramRange(counts)).toEqual({ min: 1000, max: 1999 });
  });

  it("takes percentiles as the smallest value reaching the fraction", () => {
    const counts = valueHistogram(ramp);
    expect(histogramPercentile(counts, 0)).toBe(1000);
    expect(histogramPercentile(counts, 0.5)).toBe(1499);
    expect(histogramPercentile(counts, 1)).toBe(1999);
    expect(autoWindow(counts)).toEqual({ min: 1004, max: 1994, gamma: 1 });
  });

  it("ignores outliers in Auto, not in the default window", () => {
    const values = [...Array.from({ length: 998 }, () => 500), 0, 65535];
    const counts = valueHistogram(grey16(values));
    expect(autoWindow(counts)).toEqual({ min: 500, max: 500, gamma: 1 });
    expect(defaultWindow(counts, 16)).toEqual({ min: 0, max: 65535, gamma: 1 });
    expect(defaultWindow(valueHistogram(samplesFromRgba(new Uint8ClampedArray(4), 1, 1)), 8)).toEqual({
      min: 0,
      max: 255,
      gamma: 1,
    });
  });

  it("bins log counts over a range, scaled to 0..1", () => {
    const counts = new Uint32Array(256);
    counts[0] = 100;
    counts[255] = 1;
    const bins = histogramBins(counts, 0, 255, 4);
    expect(bins).toHaveLength(4);
    expect(bins[0]).toBe(1);
    expect(bins[3]).toBeCloseTo(Math.log(2) / Math.log(101));
    expect(bins[1]).toBe(0);
  });
});

describe("windowLut", () => {
  it("maps a 16-bit window linearly to 0..255, clamped outside", () => {
    const lut = windowLut({ min: 1000, max: 2000, gamma: 1 }, 16);
    expect(lut.length).toBe(65536);
    expect(lut[0]).toBe(0);
    expect(lut[1000]).toBe(0);
    expect(lut[1500]).toBe(128);
    expect(lut[2000]).toBe(255);
    expect(lut[65535]).toBe(255);
  });

  it("is the identity for the default 8-bit window and bends with gamma", () => {
    const identity = windowLut({ min: 0, max: 255, gamma: 1 }, 8);
    expect(Array.from(identity)).toEqual(Array.from({ length: 256 }, (_, i) => i));
    const bright = windowLut({ min: 0, max: 255, gamma: 2 }, 8);
    expect(bright[64]).toBe(Math.round(255 * Math.sqrt(64 / 255)));
    expect(bright[0]).toBe(0);
    expect(bright[255]).toBe(255);
    const dark = windowLut({ min: 0, max: 255, gamma: 0.5 }, 8);
    expect(dark[128]).toBeLessThan(128);
  });

  it("turns a zero-width window into a threshold", () => {
    const lut = windowLut({ min: 100, max: 100, gamma: 1 }, 8);
    expect([lut[99], lut[100], lut[101]]).toEqual([0, 255, 255]);
  });
});

describe("applyWindow and rawValueAt", () => {
  it("draws grey samples as opaque grey pixels and leaves the samples alone", () => {
    const samples = grey16([1000, 1500, 2000, 60000], 2);
    const before = Array.from(samples.data);
    const rgba = applyWindow(samples, windowLut({ min: 1000, max: 2000, gamma: 1 }, 16));
    expect(Array.from(rgba)).toEqual([0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255, 255, 255, 255, 255]);
    expect(Array.from(samples.data)).toEqual(before);
  });

  it("windows RGB per channel and reads raw values at image points of a downscaled rendition", () => {
    const rgb: RawSamples = { width: 1, height: 1, channels: 3, bitDepth: 8, data: Uint8Array.from([10, 20, 30]) };
    expect(Array.from(applyWindow(rgb, windowLut({ min: 10, max: 30, gamma: 1 }, 8)))).toEqual([0, 128, 255, 255]);
    const samples = grey16([1, 2, 3, 4], 2);
    expect(rawValueAt(samples, { width: 4, height: 4 }, 3.5, 0)).toEqual([2]);
    expect(rawValueAt(samples, { width: 4, height: 4 }, 0, 3)).toEqual([3]);
    expect(rawValueAt(samples, { width: 4, height: 4 }, 4, 0)).toBeNull();
    expect(rawValueAt(rgb, { width: 1, height: 1 }, 0, 0)).toEqual([10, 20, 30]);
  });

  it("packs grey display pixels to one channel and colour ones to three", () => {
    const grey = samplesFromRgba(Uint8ClampedArray.from([7, 7, 7, 255, 9, 9, 9, 255]), 2, 1);
    expect(grey.channels).toBe(1);
    expect(Array.from(grey.data)).toEqual([7, 9]);
    const colour = samplesFromRgba(Uint8ClampedArray.from([7, 7, 7, 255, 9, 8, 9, 255]), 2, 1);
    expect(colour.channels).toBe(3);
    expect(Array.from(colour.data)).toEqual([7, 7, 7, 9, 8, 9]);
  });
});
