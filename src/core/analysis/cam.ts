/**
 * Class activation maps (docs/reference.md, "Class activation map"), pure maths on typed arrays.
 *
 * For a network that ends in global average pooling + one linear layer, Grad-CAM's channel
 * weights are alpha_k = w_ck / (h * w), so Grad-CAM = ReLU(sum_k w_ck A_k) up to a positive factor,
 * which the max-normalisation removes. The map is therefore exact from one forward pass
 * (`features`) and the head's weights, for the built-in head or a retrained one alike.
 */

/** Feature maps of ONE image: `data` is [channels, height, width], row-major. */
export type FeatureMaps = {
  channels: number;
  height: number;
  width: number;
  data: Float32Array;
};

export type ClassActivationMapOptions = {
  /** Side of the square display crop the map is resized to. @default 256 */
  outputSize?: number;
};

function assertFeatureMaps(features: FeatureMaps): void {
  const { channels, height, width, data } = features;
  for (const [name, value] of [
    ["channels", channels],
    ["height", height],
    ["width", width],
  ] as const) {
    if (!Number.isInteger(value) || value <= 0)
      throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  if (data.length !== channels * height * width) {
    throw new RangeError(`feature data has ${data.length} values, expected ${channels} x ${height} x ${width}`);
  }
}

/** sum_k weights[k] * features_k, an [height * width] map. */
export function weightedFeatureSum(features: FeatureMaps, weights: ArrayLike<number>): Float32Array {
  assertFeatureMaps(features);
  if (weights.length !== features.channels) {
    throw new RangeError(`head has ${weights.length} weights per class, features have ${features.channels} channels`);
  }
  const plane = features.height * features.width;
  // Accumulate in float64: the sum over 256 channels then loses nothing before the final cast.
  const sum = new Float64Array(plane);
  for (let k = 0; k < features.channels; k++) {
    const w = weights[k] ?? 0;
    if (w === 0) continue;
    const offset = k * plane;
    for (let i = 0; i < plane; i++) sum[i] = (sum[i] ?? 0) + w * (features.data[offset + i] ?? 0);
  }
  return Float32Array.from(sum);
}

/** ReLU then divide by the maximum, in place. An all-non-positive map stays all zero. */
export function reluMaxNormalise(map: Float32Array): Float32Array {
  let peak = 0;
  for (let i = 0; i < map.length; i++) {
    const v = map[i] ?? 0;
    const r = v > 0 ? v : 0;
    map[i] = r;
    if (r > peak) peak = r;
  }
  if (peak > 0) for (let i = 0; i < map.length; i++) map[i] = (map[i] ?? 0) / peak;
  return map;
}

const CUBIC_A = -0.75;

function cubicWeights(t: number): [number, number, number, number] {
  const A = CUBIC_A;
  const x0 = t + 1;
  const x3 = 2 - t;
  const s = 1 - t;
  return [
    ((A * x0 - 5 * A) * x0 + 8 * A) * x0 - 4 * A,
    ((A + 2) * t - (A + 3)) * t * t + 1,
    ((A + 2) * s - (A + 3)) * s * s + 1,
    ((A * x3 - 5 * A) * x3 + 8 * A) * x3 - 4 * A,
  ];
}

/** Per output index: the 4 clamped source indices and their weights (half-pixel centres). */
function cubicTaps(inSize: number, outSize: number): { index: Int32Array; weight: Float64Array } {
  const index = new Int32Array(outSize * 4);
  const weight = new Float64Array(outSize * 4);
  const scale = inSize / outSize;
  for (let o = 0; o < outSize; o++) {
    // Not clamped at 0 for cubic: the same convention as PyTorch and OpenCV.
    const src = (o + 0.5) * scale - 0.5;
    const i0 = Math.floor(src);
    const w = cubicWeights(src - i0);
    for (let j = 0; j < 4; j++) {
      index[o * 4 + j] = Math.min(inSize - 1, Math.max(0, i0 - 1 + j));
      weight[o * 4 + j] = w[j] ?? 0;
    }
  }
  return { index, weight };
}

/**
 * Bicubic resize (Keys a = -0.75, half-pixel centres, replicated borders): the same as PyTorch's
 * `interpolate(mode="bicubic", align_corners=False)` and OpenCV's INTER_CUBIC. Not clipped: the
 * cubic kernel overshoots slightly below 0 and above 1, exactly as the reference's map does.
 */
export function resizeBicubic(
  map: Float32Array,
  width: number,
  height: number,
  outWidth: number,
  outHeight: number,
): Float32Array {
  if (map.length !== width * height)
    throw new RangeError(`map has ${map.length} values, expected ${width} x ${height}`);
  const cols = cubicTaps(width, outWidth);
  const rows = cubicTaps(height, outHeight);
  const horizontal = new Float64Array(height * outWidth);
  for (let y = 0; y < height; y++) {
    const rowOffset = y * width;
    for (let x = 0; x < outWidth; x++) {
      let acc = 0;
      for (let j = 0; j < 4; j++) {
        acc += (cols.weight[x * 4 + j] ?? 0) * (map[rowOffset + (cols.index[x * 4 + j] ?? 0)] ?? 0);
      }
      horizontal[y * outWidth + x] = acc;
    }
  }
  const out = new Float32Array(outWidth * outHeight);
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      let acc = 0;
      for (let j = 0; j < 4; j++) {
        acc += (rows.weight[y * 4 + j] ?? 0) * (horizontal[(rows.index[y * 4 + j] ?? 0) * outWidth + x] ?? 0);
      }
      out[y * outWidth + x] = acc;
    }
  }
  return out;
}

/**
 * The class activation map of one class: ReLU(sum_k w_k A_k), max-normalised, bicubically
 * resized to `outputSize` x `outputSize`. `weights` is that class's row of the linear head.
 */
export function classActivationMap(
  features: FeatureMaps,
  weights: ArrayLike<number>,
  options: ClassActivationMapOptions = {},
): Float32Array {
  const outputSize = options.outputSize ?? 256;
  if (!Number.isInteger(outputSize) || outputSize <= 0)
    throw new RangeError(`outputSize must be a positive integer, got ${outputSize}`);
  const map = reluMaxNormalise(weightedFeatureSum(features, weights));
  return resizeBicubic(map, features.width, features.height, outputSize, outputSize);
}

/** A map in [0, 1] (values outside are clipped) as 8-bit codes, e.g. for a colour map. */
export function mapToBytes(map: Float32Array): Uint8Array {
  const out = new Uint8Array(map.length);
  for (let i = 0; i < map.length; i++) {
    const v = map[i] ?? 0;
    out[i] = Math.round((v < 0 ? 0 : v > 1 ? 1 : v) * 255);
  }
  return out;
}

/**
 * The class activation maps of several tiles of one image (the tiles classification mode), each
 * resized to `outputSize` x `outputSize`, normalised together: ReLU, then one division by the
 * largest activation over all tiles, so that a tile without evidence for the class stays cold
 * instead of being stretched to 1 on its own. A tile's map is its own {@link classActivationMap}
 * times (its peak / the overall peak).
 */
export function jointActivationMaps(
  features: readonly FeatureMaps[],
  weights: ArrayLike<number>,
  options: ClassActivationMapOptions = {},
): Float32Array[] {
  const outputSize = options.outputSize ?? 256;
  const sums = features.map((f) => weightedFeatureSum(f, weights));
  const joint = new Float32Array(sums.reduce((n, s) => n + s.length, 0));
  let offset = 0;
  for (const sum of sums) {
    joint.set(sum, offset);
    offset += sum.length;
  }
  reluMaxNormalise(joint);
  offset = 0;
  return features.map((f, t) => {
    const map = joint.subarray(offset, (offset += sums[t]!.length));
    return resizeBicubic(map, f.width, f.height, outputSize, outputSize);
  });
}
