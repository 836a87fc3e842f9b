/**
 * SAM 2's masks as objects: each mask measured whole with the classical descriptors (equal to
 * regionProps of that mask alone on the full grid), overlaps shown in the label map as the mask
 * with the higher predicted IoU, coverage as the union's share (never the sum of overlapping
 * areas), the SAM numbers kept with each record.
 */
import { describe, expect, it } from "vitest";
import { regionProps } from "~/core/objects/region-props";
import type { Sam2Mask } from "~/server/inference/sam2/generate-sam2-masks";
import { measureSam2Masks } from "../measure-sam2-masks";

const WIDTH = 40;
const HEIGHT = 30;

/** A filled rectangle [x0, x1) x [y0, y1) as a mask of its own box. */
function rectangle(x0: number, y0: number, x1: number, y1: number, predictedIou: number): Sam2Mask {
  return {
    pixels: new Uint8Array((x1 - x0) * (y1 - y0)).fill(1),
    box: [x0, y0, x1, y1],
    predictedIou,
    stabilityScore: 0.97,
    point: [(x0 + x1) / 2, (y0 + y1) / 2],
  };
}

/** A disc of radius r around (cx, cy) (pixel centres), cut to its box. */
function disc(cx: number, cy: number, r: number, predictedIou: number): Sam2Mask {
  const x0 = Math.floor(cx - r);
  const y0 = Math.floor(cy - r);
  const x1 = Math.ceil(cx + r) + 1;
  const y1 = Math.ceil(cy + r) + 1;
  const pixels = new Uint8Array((x1 - x0) * (y1 - y0));
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++)
      if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) pixels[(y - y0) * (x1 - x0) + (x - x0)] = 1;
  }
  return { pixels, box: [x0, y0, x1, y1], predictedIou, stabilityScore: 0.99, point: [cx, cy] };
}

function alone(mask: Sam2Mask): Int32Array {
  const labels = new Int32Array(WIDTH * HEIGHT);
  const [x0, y0, x1] = mask.box;
  mask.pixels.forEach((v, i) => {
    if (v) labels[(y0 + Math.floor(i / (x1 - x0))) * WIDTH + x0 + (i % (x1 - x0))] = 1;
  });
  return labels;
}

describe("measureSam2Masks", () => {
  const grey = { width: WIDTH, height: HEIGHT, data: new Uint8Array(WIDTH * HEIGHT).fill(100) };
  // The disc has the lower score but comes first (generator order); the square overlaps it.
  const masks = [disc(12.5, 12.5, 7, 0.9), rectangle(15, 8, 30, 20, 0.95)];
  const measured = measureSam2Masks(masks, grey);

  it("measures every mask whole, exactly as regionProps measures it alone", () => {
    measured.objects.forEach((object, i) => {
      const [reference] = regionProps(alone(masks[i]!), WIDTH, HEIGHT);
      const { predicted_iou, stability_score, point, ...props } = object;
      expect(props).toEqual({ ...reference, label: i + 1 });
      expect([predicted_iou, stability_score, point]).toEqual([
        masks[i]!.predictedIou,
        masks[i]!.stabilityScore,
        masks[i]!.point,
      ]);
    });
    expect(measured.objects[1]!.area).toBe(15 * 12);
  });

  it("shows the higher predicted IoU where masks overlap, and counts the union once for coverage", () => {
    const discAlone = alone(masks[0]!);
    const squareAlone = alone(masks[1]!);
    let union = 0;
    let overlap = 0;
    for (let i = 0; i < WIDTH * HEIGHT; i++) {
      const expected = squareAlone[i] ? 2 : discAlone[i] ? 1 : 0;
      expect(measured.labels[i]).toBe(expected);
      if (discAlone[i] || squareAlone[i]) union++;
      if (discAlone[i] && squareAlone[i]) overlap++;
    }
    expect(overlap).toBeGreaterThan(0);
    expect(measured.imageStats.coverage).toBeCloseTo(union / (WIDTH * HEIGHT), 12);
    expect(measured.imageStats.count).toBe(2);
  });

  it("refuses a mask that does not fit the grid", () => {
    expect(() => measureSam2Masks([rectangle(30, 20, 45, 25, 0.9)], grey)).toThrow(RangeError);
  });
});
