/**
 * Bilinear resampling exactly as torch.nn.functional.interpolate(mode="bilinear",
 * align_corners=False) without antialiasing, which SAM2Transforms.postprocess_masks uses to take
 * the decoder's low-res logits to the image size. The per-axis source indices and weights depend
 * only on the two sizes, so a plan is built once per image size and reused for every mask.
 * Weights follow torch's CPU kernel (scale = in / out in float32, src = scale * (dst + 0.5) - 0.5 in
 * double, clamped at 0, weights rounded to float32), so values agree with torch to float32 rounding.
 */

/** Source taps of one axis: output o reads input index0[o] and index1[o] with weight0[o] + weight1[o] = 1. */
export type BilinearAxis = {
  inSize: number;
  outSize: number;
  index0: Int32Array;
  index1: Int32Array;
  weight0: Float32Array;
  weight1: Float32Array;
  /**
   * Runs of consecutive outputs reading the same (index0, index1): run r covers outputs
   * [runStart[r], runStart[r + 1]). Within a run the output is a convex combination of the same
   * two inputs, which lets mask kernels skip runs whose inputs are all on one side of a cut.
   */
  runStart: Int32Array;
  /** firstRunFrom[i]: the first run whose index0 is >= i (the run count for i = inSize). */
  firstRunFrom: Int32Array;
};

export type BilinearPlan = { x: BilinearAxis; y: BilinearAxis };

export function createBilinearAxis(inSize: number, outSize: number): BilinearAxis {
  if (!Number.isInteger(inSize) || inSize < 1 || !Number.isInteger(outSize) || outSize < 1)
    throw new RangeError("bilinear sizes must be positive integers");
  const scale = Math.fround(inSize / outSize);
  const index0 = new Int32Array(outSize);
  const index1 = new Int32Array(outSize);
  const weight0 = new Float32Array(outSize);
  const weight1 = new Float32Array(outSize);
  const starts: number[] = [];
  for (let o = 0; o < outSize; o++) {
    // torch keeps the source position in double and rounds only the weight to float32.
    const source = Math.max(0, scale * (o + 0.5) - 0.5);
    const i0 = Math.min(Math.floor(source), inSize - 1);
    index0[o] = i0;
    // Equal sizes copy (torch's shortcut): the second tap is the first, weight 0.
    index1[o] = i0 < inSize - 1 && inSize !== outSize ? i0 + 1 : i0;
    const lambda1 = Math.fround(Math.min(1, source - i0));
    weight1[o] = lambda1;
    weight0[o] = Math.fround(1 - lambda1);
    if (o === 0 || i0 !== index0[o - 1]) starts.push(o);
  }
  starts.push(outSize);
  const runs = starts.length - 1;
  const firstRunFrom = new Int32Array(inSize + 1);
  for (let i = 0, r = 0; i <= inSize; i++) {
    while (r < runs && index0[starts[r]!]! < i) r++;
    firstRunFrom[i] = r;
  }
  return { inSize, outSize, index0, index1, weight0, weight1, runStart: Int32Array.from(starts), firstRunFrom };
}

export function createBilinearPlan(
  inHeight: number,
  inWidth: number,
  outHeight: number,
  outWidth: number,
): BilinearPlan {
  return { x: createBilinearAxis(inWidth, outWidth), y: createBilinearAxis(inHeight, outHeight) };
}

/** One row's contribution: the two taps of a source row mixed along x, in float32 like torch. */
export function mixColumns(input: Float32Array, row: number, x0: number, x1: number, wx0: number, wx1: number): number {
  const f = Math.fround;
  return f(f(input[row + x0]! * wx0) + f(input[row + x1]! * wx1));
}

/** Two row contributions mixed along y: the output value (rows combined after columns, as torch does). */
export function mixRows(top: number, bottom: number, wy0: number, wy1: number): number {
  const f = Math.fround;
  return f(f(top * wy0) + f(bottom * wy1));
}

/** One output value from source rows at offsets `rowA`/`rowB` of `input`. */
export function bilinearAt(
  input: Float32Array,
  rowA: number,
  rowB: number,
  x0: number,
  x1: number,
  wx0: number,
  wx1: number,
  wy0: number,
  wy1: number,
): number {
  return mixRows(mixColumns(input, rowA, x0, x1, wx0, wx1), mixColumns(input, rowB, x0, x1, wx0, wx1), wy0, wy1);
}

/**
 * The whole resampled image of the inHeight x inWidth plane starting at `offset` (row-major).
 * Mask kernels avoid it (see upsampled-mask.ts); it is the plain definition, for previews and tests.
 */
export function resampleBilinear(input: Float32Array, plan: BilinearPlan, offset = 0): Float32Array {
  const { x, y } = plan;
  if (offset < 0 || offset + x.inSize * y.inSize > input.length) throw new RangeError("input is smaller than the plan");
  const out = new Float32Array(x.outSize * y.outSize);
  for (let oy = 0, p = 0; oy < y.outSize; oy++) {
    const rowA = offset + y.index0[oy]! * x.inSize;
    const rowB = offset + y.index1[oy]! * x.inSize;
    const wy0 = y.weight0[oy]!;
    const wy1 = y.weight1[oy]!;
    for (let ox = 0; ox < x.outSize; ox++, p++) {
      out[p] = bilinearAt(input, rowA, rowB, x.index0[ox]!, x.index1[ox]!, x.weight0[ox]!, x.weight1[ox]!, wy0, wy1);
    }
  }
  return out;
}
