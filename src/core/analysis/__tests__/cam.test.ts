import { describe, expect, it } from "vitest";

import { classActivationMap, mapToBytes, reluMaxNormalise, resizeBicubic, weightedFeatureSum } from "../cam";

describe("weightedFeatureSum", () => {
  it("sums channels with the head's weights", () => {
    // 2 channels of 1 x 2
    const features = { channels: 2, height: 1, width: 2, data: Float32Array.from([1, 2, 10, 20]) };
    expect(Array.from(weightedFeatureSum(features, [0.5, -0.1]))).toEqual([0.5 - 1, 1 - 2].map((v) => Math.fround(v)));
  });

  it("refuses a head whose width is not the channel count", () => {
    const features = { channels: 2, height: 1, width: 1, data: new Float32Array(2) };
    expect(() => weightedFeatureSum(features, [1, 2, 3])).toThrow(RangeError);
  });
});

describe("reluMaxNormalise", () => {
  it("clips negatives and scales the peak to 1", () => {
    expect(Array.from(reluMaxNormalise(Float32Array.from([-2, 1, 4])))).toEqual([0, 0.25, 1]);
  });

  it("keeps an all-negative map at zero instead of dividing by zero", () => {
    expect(Array.from(reluMaxNormalise(Float32Array.from([-2, -1])))).toEqual([0, 0]);
  });
});

describe("resizeBicubic", () => {
  it("matches torch.nn.functional.interpolate(mode='bicubic', align_corners=False)", () => {
    // values printed by PyTorch 1.13 for this 2 x 3 -> 4 x 5 resize
    const expected = [
      [-0.306937, 0.186485, 0.789062, 0.780976, 0.645641],
      [0.357125, 0.934219, 1.453125, 0.733828, 0.036031],
      [1.450875, 2.165781, 2.546875, 0.656172, -0.968031],
      [2.114938, 2.913515, 3.210938, 0.609024, -1.577641],
    ].flat();
    const out = resizeBicubic(Float32Array.from([0, 1, 0.5, 2, 3, -1]), 3, 2, 5, 4);
    out.forEach((v, i) => expect(v).toBeCloseTo(expected[i] ?? NaN, 5));
  });

  it("keeps a constant map constant", () => {
    const out = resizeBicubic(new Float32Array(16 * 16).fill(0.7), 16, 16, 256, 256);
    for (const v of out) expect(v).toBeCloseTo(0.7, 6);
  });
});

describe("classActivationMap", () => {
  it("is positive where the class's evidence is and peaks at 1", () => {
    const h = 16;
    const data = new Float32Array(2 * h * h);
    data[3 * h + 4] = 5; // channel 0 fires at (row 3, col 4)
    data[h * h + 12 * h + 12] = 5; // channel 1 fires at (row 12, col 12)
    const cam = classActivationMap({ channels: 2, height: h, width: h, data }, [1, -1], { outputSize: 64 });
    const bytes = mapToBytes(cam);
    const peak = cam.indexOf(Math.max(...cam));
    // input cell (3, 4) covers output rows 12..15 and columns 16..19
    expect(Math.floor(peak / 64)).toBeGreaterThanOrEqual(12);
    expect(Math.floor(peak / 64)).toBeLessThanOrEqual(15);
    expect(peak % 64).toBeGreaterThanOrEqual(16);
    expect(peak % 64).toBeLessThanOrEqual(19);
    // the other channel's spot has negative evidence -> ReLU -> 0
    expect(bytes[50 * 64 + 50]).toBe(0);
  });
});
