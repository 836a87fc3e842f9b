/** Public API of the pure analysis core (no I/O): typed arrays in, typed arrays out. */
export { type Raster, type GreyImage, assertRaster, assertGreyImage } from "./raster";
export { resizeArea } from "./resize-area";
export { type AnalysisImageOptions, toAnalysisImage, analysisImageSize, greyFromRgb } from "./analysis-image";
export { greyHistogram } from "./histogram";
export { type OtsuSegmentation, otsuThreshold, binarize, segmentOtsu } from "./otsu";
export { type GlcmContrast, type GlcmContrastOptions, glcmContrast } from "./glcm-contrast";
export {
  KMEANS_METHODS,
  KMEANS_MIN_K,
  KMEANS_MAX_K,
  type KmeansMethod,
  type KmeansGreyOptions,
  type KmeansHistogramResult,
  type KmeansGreyResult,
  kmeansGrey,
  kmeansHistogram,
  clusterMask,
} from "./kmeans-grey";
export {
  COLORMAP_NAMES,
  type ColormapName,
  type ColorizeOptions,
  colormapLut,
  colorize,
  isColormapName,
} from "./colormaps";
export { scaleToColormapIndex } from "./label-map";
export { createRandom } from "./random";
