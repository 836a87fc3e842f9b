import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { cocoRleToMask, decodeCompressedCounts, encodeCompressedCounts, maskToCocoRle } from "~/core/regions/coco-rle";
import { createBilinearPlan, resampleBilinear } from "../bilinear-plan";
import { boxNms } from "../box-nms";
import { boxXyxyToXywh, isBoxNearCropEdge, maskToBoxXyxy } from "../boxes";
import { buildPointGrid, gridToImagePoints, imageToFramePoints } from "../point-grid";
import { measureUpsampledMask, stabilityScore, upsampledMaskRleCounts } from "../upsampled-mask";

/** Written by scripts/reference/sam2_reference.py from SAM 2's formulas (torch, torchvision). */
type FieldSpec = { kind: "disc"; cx: number; cy: number; r: number; s: number } | { kind: "ramp"; seed: number };
type Reference = {
  pointGrids: { pointsPerSide: number; points: number[] }[];
  modelFrame: { width: number; height: number; indices: number[]; imagePoints: number[]; framePoints: number[] }[];
  bilinear: ({
    seed: number;
    inHeight: number;
    inWidth: number;
    outHeight: number;
    outWidth: number;
  } & ({ input: number[]; output: number[] } | { samples: [number, number, number][]; sum: number }))[];
  masks: (
    | {
        kind: string;
        height: number;
        width: number;
        maskRowMajor: string;
        counts: number[];
        countsString: string;
        area: number;
        boxXyxy: [number, number, number, number];
      }
    | { kind: "counts"; counts: number[]; countsString: string }
  )[];
  stability: {
    field: FieldSpec;
    outHeight: number;
    outWidth: number;
    maskThreshold: number;
    offset: number;
    stability: number;
    nearCut: number;
    intersections: number;
    unions: number;
    area: number;
    boxXyxy: [number, number, number, number];
    countsString?: string;
  }[];
  nms: { boxes: number[]; scores: number[]; keep: Record<string, number[]> }[];
};

const fixture = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../../tests/fixtures/sam2/reference.json",
);
const reference = JSON.parse(readFileSync(fixture, "utf8")) as Reference;

/** The script's ramp (computed in double, stored as float32 like numpy's astype). */
function rampField(seed: number, height: number, width: number): Float32Array {
  const a = 3 + seed;
  const b = 5 + 2 * seed;
  const out = new Float32Array(height * width);
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) out[j * width + i] = ((i * a + j * b + seed * 7) % 97) / 4 - 12 + 1 / 7;
  }
  return out;
}

/** The script's clamped signed-distance disc on a 256 x 256 grid, in float32 op by op like torch. */
function discField(cx: number, cy: number, r: number, s: number): Float32Array {
  const f = Math.fround;
  const out = new Float32Array(256 * 256);
  for (let j = 0; j < 256; j++) {
    const dy = f(j - f(cy));
    for (let i = 0; i < 256; i++) {
      const dx = f(i - f(cx));
      const distance = f(Math.sqrt(f(f(dx * dx) + f(dy * dy))));
      out[j * 256 + i] = Math.min(32, Math.max(-32, f(f(s) * f(f(r) - distance))));
    }
  }
  return out;
}

describe("point grid (build_point_grid, transform_coords)", () => {
  test.each(reference.pointGrids)("$pointsPerSide per side equals numpy's linspace grid exactly", (c) => {
    expect(Array.from(buildPointGrid(c.pointsPerSide))).toEqual(c.points);
  });

  test.each(reference.modelFrame)("image and frame points of a $width x $height image", (c) => {
    const image = gridToImagePoints(buildPointGrid(32), c.width, c.height);
    const frame = imageToFramePoints(image, c.width, c.height);
    expect(c.indices.flatMap((i) => [image[2 * i], image[2 * i + 1]])).toEqual(c.imagePoints);
    expect(c.indices.flatMap((i) => [frame[2 * i], frame[2 * i + 1]])).toEqual(c.framePoints);
  });
});

describe("bilinear upsampling (F.interpolate, align_corners=False)", () => {
  test.each(reference.bilinear)("$inHeight x $inWidth -> $outHeight x $outWidth", (c) => {
    const plan = createBilinearPlan(c.inHeight, c.inWidth, c.outHeight, c.outWidth);
    const input = "input" in c ? Float32Array.from(c.input) : rampField(c.seed, c.inHeight, c.inWidth);
    const out = resampleBilinear(input, plan);
    if ("output" in c) {
      c.output.forEach((v, i) => expect(out[i]).toBeCloseTo(v, 5));
    } else {
      for (const [y, x, v] of c.samples) expect(out[y * c.outWidth + x]).toBeCloseTo(v, 5);
      expect(out.reduce((s, v) => s + v, 0)).toBeCloseTo(c.sum, 1);
    }
  });
});

describe("fused upsample + stability score + threshold + box + RLE", () => {
  test.each(reference.stability)(
    "$field.kind field to $outHeight x $outWidth, threshold $maskThreshold, offset $offset",
    (c) => {
      const field =
        c.field.kind === "disc"
          ? discField(c.field.cx, c.field.cy, c.field.r, c.field.s)
          : rampField(c.field.seed, 256, 256);
      const plan = createBilinearPlan(256, 256, c.outHeight, c.outWidth);
      const measure = measureUpsampledMask(field, 0, plan, c.maskThreshold, c.offset);
      const counts = upsampledMaskRleCounts(field, 0, plan, c.maskThreshold);
      expect(counts.filter((_, i) => i % 2 === 1).reduce((s, v) => s + v, 0)).toBe(measure.area);
      if (c.nearCut > 0) {
        // Pixels within 1e-4 of a cut may round either way (torch's kernel vs ours): only they may differ.
        expect(Math.abs(measure.intersections - c.intersections)).toBeLessThanOrEqual(c.nearCut);
        expect(Math.abs(measure.unions - c.unions)).toBeLessThanOrEqual(c.nearCut);
        expect(Math.abs(measure.area - c.area)).toBeLessThanOrEqual(c.nearCut);
        expect(stabilityScore(measure.intersections, measure.unions)).toBeCloseTo(c.stability, 3);
        return;
      }
      expect(measure.intersections).toBe(c.intersections);
      expect(measure.unions).toBe(c.unions);
      expect(stabilityScore(measure.intersections, measure.unions)).toBe(c.stability);
      expect(measure.area).toBe(c.area);
      expect(measure.box).toEqual(c.boxXyxy);
      if (c.countsString !== undefined) expect(encodeCompressedCounts(counts)).toBe(c.countsString);
    },
  );

  test("agrees with the plain definition (resample, then cut) on a plane inside a larger buffer", () => {
    const planes = new Float32Array(3 * 256 * 256);
    planes.set(discField(40.2, 200.7, 33.3, 1.5), 256 * 256);
    const plan = createBilinearPlan(256, 256, 301, 173);
    const up = resampleBilinear(planes, plan, 256 * 256);
    const above = (cut: number) => up.reduce((n, v) => n + (v > cut ? 1 : 0), 0);
    const measure = measureUpsampledMask(planes, 256 * 256, plan, 0.25, 1.5);
    expect(measure.intersections).toBe(above(1.75));
    expect(measure.unions).toBe(above(-1.25));
    expect(measure.area).toBe(above(0.25));
    const binary = Uint8Array.from(up, (v) => (v > 0.25 ? 1 : 0));
    expect(measure.box).toEqual(maskToBoxXyxy(binary, 173, 301));
    expect(upsampledMaskRleCounts(planes, 256 * 256, plan, 0.25)).toEqual(maskToCocoRle(binary, 173, 301).counts);
  });

  test("an all-negative plane is empty: box [0,0,0,0], one run of zeros, stability NaN (removed)", () => {
    const plan = createBilinearPlan(256, 256, 20, 30);
    const planes = new Float32Array(256 * 256).fill(-5);
    const measure = measureUpsampledMask(planes, 0, plan, 0, 1);
    expect(measure).toEqual({ intersections: 0, unions: 0, area: 0, box: [0, 0, 0, 0] });
    expect(stabilityScore(0, 0) >= 0.95).toBe(false);
    expect(upsampledMaskRleCounts(planes, 0, plan, 0)).toEqual([600]);
  });
});

describe("masks: RLE (mask_to_rle_pytorch, rleToString), area, box (batched_mask_to_box)", () => {
  const masks = reference.masks.filter((c) => c.kind !== "counts") as Extract<
    Reference["masks"][number],
    { maskRowMajor: string }
  >[];
  const countsOnly = reference.masks.filter((c) => c.kind === "counts");

  test.each(masks)("$kind $height x $width", (c) => {
    const mask = Uint8Array.from(c.maskRowMajor, (ch) => (ch === "1" ? 1 : 0));
    const rle = maskToCocoRle(mask, c.width, c.height);
    expect(rle.counts).toEqual(c.counts);
    expect(rle.size).toEqual([c.height, c.width]);
    expect(encodeCompressedCounts(rle.counts)).toBe(c.countsString);
    expect(decodeCompressedCounts(c.countsString)).toEqual(c.counts);
    expect(Array.from(cocoRleToMask(c.counts, c.width, c.height))).toEqual(Array.from(mask));
    expect(maskToBoxXyxy(mask, c.width, c.height)).toEqual(c.boxXyxy);
    expect(c.counts.filter((_, i) => i % 2 === 1).reduce((s, v) => s + v, 0)).toBe(c.area);
  });

  test.each(countsOnly)("compressed string of counts $counts", (c) => {
    expect(encodeCompressedCounts(c.counts)).toBe(c.countsString);
    expect(decodeCompressedCounts(c.countsString)).toEqual(c.counts);
  });
});

describe("box helpers", () => {
  test("XYXY to XYWH keeps SAM's inclusive-box width x1 - x0", () => {
    expect(boxXyxyToXywh([3, 4, 3, 4])).toEqual([3, 4, 0, 0]);
    expect(boxXyxyToXywh([10, 20, 50, 25])).toEqual([10, 20, 40, 5]);
  });

  test("near a crop's inner edge, not near the image's edge", () => {
    const image = [0, 0, 1000, 800] as const;
    const crop = [0, 0, 600, 500] as const;
    expect(isBoxNearCropEdge([10, 10, 585, 100], crop, image)).toBe(true); // right side at the crop's inner edge
    expect(isBoxNearCropEdge([5, 5, 300, 300], crop, image)).toBe(false); // touches only image edges
    expect(isBoxNearCropEdge([100, 100, 300, 300], crop, image)).toBe(false);
    const inner = [400, 300, 1000, 800] as const; // a crop in the lower right: coordinates are relative to it
    expect(isBoxNearCropEdge([5, 100, 200, 200], inner, image)).toBe(true);
    expect(isBoxNearCropEdge([100, 100, 599, 499], inner, image)).toBe(false);
    // The whole image as the crop (crop_n_layers 0): never.
    expect(isBoxNearCropEdge([0, 0, 999, 799], image, image)).toBe(false);
  });
});

describe("box NMS (torchvision batched_nms, one category)", () => {
  for (const [n, c] of reference.nms.entries()) {
    test.each(Object.entries(c.keep))(`case ${n}, IoU threshold %s`, (threshold, keep) => {
      expect(boxNms(c.boxes, c.scores, Number(threshold))).toEqual(keep);
    });
  }

  test("an IoU exactly at the threshold is kept (suppression needs IoU > threshold)", () => {
    // IoU of [0,0,10,10] and [0,0,10,5] is 50/100 = 0.5.
    expect(boxNms([0, 0, 10, 10, 0, 0, 10, 5], [0.9, 0.8], 0.5)).toEqual([0, 1]);
    expect(boxNms([0, 0, 10, 10, 0, 0, 10, 5], [0.9, 0.8], 0.49)).toEqual([0]);
  });
});
