import { describe, expect, test } from "vitest";
import type { Raster } from "~/core/analysis";
import { ANALYSIS_PARAMS_VERSION, resolveAnalysisParams, runAnalysis } from "../run-analysis";

function gradient(width: number, height: number): Raster {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = (x * 7 + y * 3) % 256;
  return { width, height, channels: 1, bitDepth: 8, data };
}

describe("resolveAnalysisParams", () => {
  test("defaults are the reference's, versioned", () => {
    expect(resolveAnalysisParams()).toEqual({
      version: ANALYSIS_PARAMS_VERSION,
      width: 512,
      glcmWindow: 5,
      ks: [3],
      kmeansMethod: "exact",
      seed: 0,
    });
  });
  test("duplicate Ks are dropped, order kept; bad values throw", () => {
    expect(resolveAnalysisParams({ ks: [5, 2, 5] }).ks).toEqual([5, 2]);
    expect(() => resolveAnalysisParams({ ks: [] })).toThrow(RangeError);
    expect(() => resolveAnalysisParams({ ks: [1] })).toThrow(RangeError);
    expect(() => resolveAnalysisParams({ ks: [11] })).toThrow(RangeError);
    expect(() => resolveAnalysisParams({ seed: 0.5 })).toThrow(RangeError);
  });
});

describe("runAnalysis", () => {
  test("wires grey -> Otsu -> GLCM -> k-means and records params and timings", () => {
    const result = runAnalysis(gradient(300, 200), { ks: [2, 3, 10], seed: 7 });
    expect(result.params.ks).toEqual([2, 3, 10]);
    expect(result.params.seed).toBe(7);
    expect(result.grey.width).toBe(512);
    expect(result.grey.height).toBe(Math.trunc((200 * 512) / 300));
    expect(result.otsu.segmented.data.length).toBe(result.grey.data.length);
    expect(result.texture.pairCount.length).toBe(result.grey.data.length);
    expect(result.kmeans.map((k) => k.requestedK)).toEqual([2, 3, 10]);
    for (const step of ["grey", "otsu", "glcm", "kmeans_k2", "kmeans_k3", "kmeans_k10", "maps", "total"]) {
      expect(result.timingsMs[step]).toBeGreaterThanOrEqual(0);
    }
    const pixels = result.grey.width * result.grey.height;
    expect(result.maps?.texture.length).toBe(pixels * 4);
    expect(result.maps?.clusters[3]?.length).toBe(pixels * 4);
  });

  test("maps can be skipped; a 16-bit RGBA image works", () => {
    const data = new Uint16Array(4 * 4 * 4).map((_, i) => (i * 4099) % 65536);
    const result = runAnalysis({ width: 4, height: 4, channels: 4, bitDepth: 16, data }, {}, { renderMaps: false });
    expect(result.maps).toBeUndefined();
    expect(result.timingsMs.maps).toBeUndefined();
    expect(result.grey.height).toBe(512);
  });

  test("constant image gives a clear result", () => {
    const constant = new Uint8Array(100).fill(9);
    const result = runAnalysis({ width: 10, height: 10, channels: 1, bitDepth: 8, data: constant });
    expect(result.otsu.threshold).toBe(0);
    expect(result.kmeans[0]?.k).toBe(1);
    expect(result.kmeans[0]?.inertia).toBe(0);
    expect(result.texture.pairCount.every((v) => v === 0)).toBe(true);
  });
});
