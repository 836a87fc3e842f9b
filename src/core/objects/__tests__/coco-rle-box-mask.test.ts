/**
 * cocoRleBoxMask against cocoRleToMask (the whole-grid decoder): the same pixels, cropped to the
 * tight box, on masks whose runs cross column ends, touch the grid's corners, are one pixel or the
 * whole grid; null for an empty mask; RangeError for counts that do not cover the grid. And the
 * box mask written at another size by resampledObjectRle equals the whole-grid mask's resampling.
 */
import { describe, expect, it } from "vitest";
import { maskAreaAndBox } from "~/server/exports/coco-annotation";
import { cocoRleToMask, maskToCocoRle } from "~/core/regions/coco-rle";
import { createRandom } from "~/core/analysis/random";
import { boxMaskLabelAt, cocoRleBoxMask } from "../coco-rle-box-mask";
import { resampledObjectRle } from "../label-coco-rle";

function masks(width: number, height: number): Uint8Array[] {
  const rng = createRandom(7);
  const out: Uint8Array[] = [];
  const of = (cells: number[]) => {
    const m = new Uint8Array(width * height);
    for (const i of cells) m[i] = 1;
    return m;
  };
  out.push(of([0]), of([width * height - 1]), of([width - 1, (height - 1) * width]));
  // A run from the bottom of column 1 into the top of column 2 (column-major).
  out.push(of([(height - 1) * width + 1, 2]));
  out.push(new Uint8Array(width * height).fill(1));
  for (let k = 0; k < 20; k++) {
    const m = new Uint8Array(width * height);
    const p = rng() * 0.5;
    for (let i = 0; i < m.length; i++) m[i] = rng() < p ? 1 : 0;
    if (m.some((v) => v)) out.push(m);
  }
  return out;
}

describe("cocoRleBoxMask", () => {
  for (const [width, height] of [
    [7, 5],
    [1, 9],
    [9, 1],
    [16, 12],
  ] as const) {
    it(`decodes every mask of a ${width} x ${height} grid to its pixels in its tight box`, () => {
      for (const mask of masks(width, height)) {
        const { counts } = maskToCocoRle(mask, width, height);
        const object = cocoRleBoxMask(counts, width, height)!;
        const whole = cocoRleToMask(counts, width, height);
        const { area, bbox } = maskAreaAndBox(whole, width, height);
        expect(object.area).toBe(area);
        expect(object.box).toEqual([bbox[1], bbox[0], bbox[1] + bbox[3], bbox[0] + bbox[2]]);
        const labelAt = boxMaskLabelAt(object, width);
        for (let i = 0; i < whole.length; i++) expect(labelAt(i), `pixel ${i}`).toBe(whole[i]);
        for (const [w, h] of [
          [width, height],
          [2 * width + 1, 3 * height],
        ] as const) {
          const resampled = resampledObjectRle({
            labelAt,
            labelWidth: width,
            labelHeight: height,
            label: 1,
            box: object.box,
            width: w,
            height: h,
          });
          const wholeResampled = resampledObjectRle({
            labelAt: (i) => whole[i]!,
            labelWidth: width,
            labelHeight: height,
            label: 1,
            box: [0, 0, height, width],
            width: w,
            height: h,
          });
          expect(resampled).toEqual(wholeResampled);
        }
      }
    });
  }

  it("answers null for an empty mask and refuses counts that do not cover the grid", () => {
    expect(cocoRleBoxMask([35], 7, 5)).toBeNull();
    expect(cocoRleBoxMask([0, 35], 7, 5)?.area).toBe(35);
    expect(() => cocoRleBoxMask([30], 7, 5)).toThrow(RangeError);
    expect(() => cocoRleBoxMask([30, 10], 7, 5)).toThrow(RangeError);
    expect(() => cocoRleBoxMask([30, -1, 6], 7, 5)).toThrow(RangeError);
  });
});
