import {
  colorize,
  glcmContrast,
  KMEANS_MAX_K,
  KMEANS_METHODS,
  KMEANS_MIN_K,
  kmeansGrey,
  scaleToColormapIndex,
  segmentOtsu,
  toAnalysisImage,
  type GlcmContrast,
  type GreyImage,
  type KmeansGreyResult,
  type KmeansMethod,
  type OtsuSegmentation,
  type Raster,
} from "~/core/analysis";

/**
 * The single-image analysis of the reference (docs/reference.md, "Image analysis" and
 * "Clustering") as one pipeline: analysis image (grey) -> Otsu segmentation -> GLCM contrast
 * texture -> k-means for each K.
 * The CLI, the benchmark and the job worker all call {@link runAnalysis}; it is pure apart from
 * reading the clock for the per-step timings.
 */

/** Version of {@link AnalysisParams}. Persisted with results: bump it when a field's meaning changes. */
export const ANALYSIS_PARAMS_VERSION = 1 as const;

/** Everything that determines the numbers of an analysis; stored with its results. */
export type AnalysisParams = {
  version: typeof ANALYSIS_PARAMS_VERSION;
  /** Width of the analysis image (reference: 512). */
  width: number;
  /** GLCM window side (reference: 5). */
  glcmWindow: number;
  /** The K values clustered, in the order asked, without duplicates (reference default: 3). */
  ks: number[];
  /** k-means algorithm (see kmeans-grey.ts); "exact" is optimal and ignores the seed. */
  kmeansMethod: KmeansMethod;
  /** Seed of the "lloyd" k-means; recorded so a run can be repeated. */
  seed: number;
};

/** What a caller may set; everything else takes the defaults below. */
export type AnalysisParamsInput = {
  /** @default 512 */
  width?: number;
  /** @default 5 */
  glcmWindow?: number;
  /** @default [3] */
  ks?: readonly number[];
  /** @default "exact" */
  kmeansMethod?: KmeansMethod;
  /** @default 0 */
  seed?: number;
};

/** Fills in defaults and validates; throws RangeError on bad values. */
export function resolveAnalysisParams(input: AnalysisParamsInput = {}): AnalysisParams {
  const ks = [...new Set(input.ks ?? [3])];
  if (ks.length === 0) throw new RangeError("at least one K is needed");
  for (const k of ks) {
    if (!Number.isInteger(k) || k < KMEANS_MIN_K || k > KMEANS_MAX_K) {
      throw new RangeError(`K must be an integer from ${KMEANS_MIN_K} to ${KMEANS_MAX_K}, got ${k}`);
    }
  }
  const kmeansMethod = input.kmeansMethod ?? "exact";
  if (!(KMEANS_METHODS as readonly string[]).includes(kmeansMethod)) {
    throw new RangeError(`unknown k-means method "${String(kmeansMethod)}"`);
  }
  const seed = input.seed ?? 0;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  return {
    version: ANALYSIS_PARAMS_VERSION,
    width: input.width ?? 512,
    glcmWindow: input.glcmWindow ?? 5,
    ks,
    kmeansMethod,
    seed,
  };
}

/** Options that change what is returned, not the numbers. */
export type RunAnalysisOptions = {
  /**
   * Also return the colour renderings (texture in "hot", cluster maps in "viridis"), RGBA.
   * @default true
   */
  renderMaps?: boolean;
};

/** RGBA renderings of the maps, 4 bytes per pixel of the analysis image. */
export type AnalysisMaps = {
  /** Contrast 0..1 in "hot" (fixed scale, so images can be compared). */
  texture: Uint8ClampedArray;
  /** Label map per K in "viridis", labels spread over the map as imshow does. */
  clusters: Record<number, Uint8ClampedArray>;
};

export type AnalysisResult = {
  params: AnalysisParams;
  /** The analysis image (512 wide, grey). */
  grey: GreyImage;
  otsu: OtsuSegmentation;
  texture: GlcmContrast;
  /** One clustering per K, in the order of `params.ks`. */
  kmeans: KmeansGreyResult[];
  maps?: AnalysisMaps;
  /** Milliseconds per step ("grey", "otsu", "glcm", "kmeans_k<K>", "maps") and "total". */
  timingsMs: Record<string, number>;
};

/** Runs the whole single-image analysis. Throws RangeError/TypeError on bad input or params. */
export function runAnalysis(
  raster: Raster,
  paramsInput: AnalysisParamsInput = {},
  options: RunAnalysisOptions = {},
): AnalysisResult {
  const params = resolveAnalysisParams(paramsInput);
  const timingsMs: Record<string, number> = {};
  const start = performance.now();
  let last = start;
  const lap = (step: string): void => {
    const now = performance.now();
    timingsMs[step] = now - last;
    last = now;
  };

  const grey = toAnalysisImage(raster, { width: params.width });
  lap("grey");
  const otsu = segmentOtsu(grey);
  lap("otsu");
  const texture = glcmContrast(otsu.segmented, { window: params.glcmWindow });
  lap("glcm");
  const kmeans: KmeansGreyResult[] = [];
  for (const k of params.ks) {
    kmeans.push(kmeansGrey(grey, k, { method: params.kmeansMethod, seed: params.seed }));
    lap(`kmeans_k${k}`);
  }
  let maps: AnalysisMaps | undefined;
  if (options.renderMaps ?? true) {
    const counts = { width: texture.width, height: texture.height, data: texture.pairCount };
    const clusters: Record<number, Uint8ClampedArray> = {};
    for (const result of kmeans) {
      clusters[result.requestedK] = colorize(scaleToColormapIndex(result.labels, result.k - 1).data, "viridis");
    }
    maps = { texture: colorize(scaleToColormapIndex(counts, texture.pairsPerWindow).data, "hot"), clusters };
    lap("maps");
  }
  timingsMs.total = performance.now() - start;
  return { params, grey, otsu, texture, kmeans, maps, timingsMs };
}
