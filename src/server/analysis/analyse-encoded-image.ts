/**
 * The CPU-heavy middle of image analyses, run in a worker thread (task "analysis.compute",
 * src/server/workers/heavy-tasks.ts), for one image or a batch of them with the same parameters
 * and classifier: decode (within the pixel and decoded-bytes limits, checked from the header
 * first), classify (+ CAM) through ONNX Runtime (all the batch's images in batched runs), the
 * analysis pipeline, and every map encoded as an 8-bit PNG. The caller
 * (compute-image-analysis.ts) loads the bytes, resolves the classifier with the database, and
 * stores the PNGs. Each image fails on its own: one unreadable file does not fail its batch.
 */
import { scaleToColormapIndex, type GreyImage } from "~/core/analysis";
import type { Raster } from "~/core/analysis/raster";
import { encodePng } from "~/server/codecs/encode-png";
import type { AnalysisTaskInput, AnalysisTaskOutput, EncodedMap } from "~/server/workers/heavy-tasks";
import { serializeError, type SerializedError } from "~/server/workers/protocol";
import type { AnalysisDescriptors, ClusterStats, MapRef } from "./analysis-record";
import type { FramedCam } from "./classify-framed";
import { classifyRasters, type ClassificationOutcome } from "./classify-raster";
import { decodeTaskImage } from "./decode-task-image";
import { ImageAnalysisError } from "./image-analysis-error";
import { runAnalysis, type AnalysisResult } from "./run-analysis";

/** One image's analysis, or why it failed (the error as it crosses the thread boundary). */
export type AnalysisItemResult = { ok: true; output: AnalysisTaskOutput } | { ok: false; error: SerializedError };

export async function analyseEncodedImages(
  sources: Buffer[],
  input: Omit<AnalysisTaskInput, "sources">,
): Promise<{ output: AnalysisItemResult[]; transfer: ArrayBuffer[] }> {
  const timings = sources.map((): Record<string, number> => ({}));
  const rasters: (Raster | undefined)[] = [];
  const failures: (unknown | undefined)[] = [];
  // One at a time: a batch never holds more than one image's decoding buffers at once.
  for (const [i, bytes] of sources.entries()) {
    const t0 = performance.now();
    try {
      rasters.push(await decodeTaskImage(bytes, input.limits));
    } catch (error) {
      rasters.push(undefined);
      failures[i] = error;
    }
    timings[i]!.decode = performance.now() - t0;
  }

  const { classifier, camClass, classification } = input;
  const decoded = rasters.flatMap((raster, i) => (raster ? [{ raster, i }] : []));
  const classifications: (ClassificationOutcome | ImageAnalysisError)[] = [];
  const t0 = performance.now();
  if (classifier === null || "skipped" in classifier) {
    const reason = classifier?.skipped ?? "classification not requested";
    for (const { i } of decoded) classifications[i] = { status: "skipped", reason };
  } else if (decoded.length > 0) {
    const outcomes = await classifyRasters({
      rasters: decoded.map((d) => d.raster),
      model: classifier,
      camClass,
      classification,
      analysedAreas: decoded.map((d) => input.analysedAreas?.[d.i] ?? null),
    });
    decoded.forEach(({ i }, j) => (classifications[i] = outcomes[j]!));
  }
  // The batch's classification time, shared out over its images.
  for (const { i } of decoded) timings[i]!.classify = (performance.now() - t0) / decoded.length;

  const transfer: ArrayBuffer[] = [];
  const results: Promise<AnalysisItemResult>[] = [];
  for (const [i, raster] of rasters.entries()) {
    const classification = classifications[i];
    rasters[i] = undefined; // the decoded page goes once its analysis image is made
    // Not awaited here: an image's PNGs encode (libuv threads) while the next one is analysed.
    const result = (async (): Promise<AnalysisTaskOutput> => {
      if (!raster) throw failures[i];
      if (!classification) throw new Error("internal: an image was not classified");
      if (classification instanceof ImageAnalysisError) throw classification;
      return analyseRaster(raster, classification, input, timings[i]!, transfer);
    })();
    results.push(
      result.then(
        (output): AnalysisItemResult => ({ ok: true, output }),
        (error: unknown): AnalysisItemResult => ({ ok: false, error: serializeError(error) }),
      ),
    );
  }
  return { output: await Promise.all(results), transfer };
}

/** The analysis pipeline and the PNG maps of one decoded, classified image. */
async function analyseRaster(
  raster: Raster,
  classification: ClassificationOutcome,
  input: Pick<AnalysisTaskInput, "params">,
  timingsMs: Record<string, number>,
  transfer: ArrayBuffer[],
): Promise<AnalysisTaskOutput> {
  let result: AnalysisResult;
  try {
    // The client colourises the 8-bit maps itself, so the RGBA renderings are not needed.
    result = runAnalysis(raster, input.params, { renderMaps: false });
  } catch (error) {
    if (error instanceof RangeError || error instanceof TypeError) {
      throw new ImageAnalysisError(`cannot analyse the image: ${error.message}`, "bad-dimensions", {
        cause: error,
      });
    }
    throw error;
  }
  for (const [step, ms] of Object.entries(result.timingsMs)) if (step !== "total") timingsMs[step] = ms;
  const encodeStart = performance.now();

  const encode = async (image: GreyImage, encoding: MapRef["encoding"]): Promise<EncodedMap> => {
    const png = await encodePng(image.data, image.width, image.height, 1);
    const buffer = copyToArrayBuffer(png);
    transfer.push(buffer);
    return { png: buffer, width: image.width, height: image.height, encoding };
  };
  const counts: GreyImage = {
    width: result.texture.width,
    height: result.texture.height,
    data: result.texture.pairCount,
  };
  let summary: AnalysisTaskOutput["classification"] = classification;
  let cam: FramedCam | undefined;
  if (classification.status === "classified") {
    const { cam: framed, ...rest } = classification;
    cam = framed;
    summary = rest;
  }
  const [grey, segmentation, contrast, camMap, ...clusters] = await Promise.all([
    encode(result.grey, "grey"),
    encode(result.otsu.segmented, "mask"),
    encode(scaleToColormapIndex(counts, result.texture.pairsPerWindow), "colormap-index"),
    cam ? encode(cam, "heat") : undefined,
    ...result.kmeans.map((r) => encode(r.labels, "labels")),
  ]);
  const maps: AnalysisTaskOutput["maps"] = {
    grey: grey,
    segmentation: segmentation,
    contrast: contrast,
    clusters: result.kmeans.map((r, i) => ({ ...clusters[i]!, requestedK: r.requestedK, k: r.k })),
    ...(camMap && cam ? { cam: { ...camMap, frame: cam.frame } } : {}),
  };
  timingsMs.encode = performance.now() - encodeStart;

  return {
    maps,
    classification: summary,
    analysisParams: result.params,
    clusterStats: clusterStatsOf(result),
    descriptors: descriptorsOf(result),
    timingsMs,
  };
}

/** sharp's output buffers wrap native memory, which cannot be transferred: one plain copy. */
function copyToArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}

function clusterStatsOf(result: AnalysisResult): ClusterStats {
  const stats: ClusterStats = {};
  for (const r of result.kmeans) {
    stats[String(r.requestedK)] = {
      requestedK: r.requestedK,
      k: r.k,
      method: r.method,
      centers: r.centers,
      standardizedCenters: r.standardizedCenters,
      counts: r.counts,
      areaPercent: r.areaPercent,
      inertia: r.inertia,
      standardizedInertia: r.standardizedInertia,
      mean: r.mean,
      std: r.std,
    };
  }
  return stats;
}

function descriptorsOf(result: AnalysisResult): AnalysisDescriptors {
  const mask = result.otsu.segmented.data;
  let foreground = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]! > 0) foreground++;
  const contrast = result.texture.contrast;
  let sum = 0;
  for (let i = 0; i < contrast.length; i++) sum += contrast[i]!;
  return {
    otsuThreshold: result.otsu.threshold,
    foregroundFraction: mask.length === 0 ? 0 : foreground / mask.length,
    meanContrast: contrast.length === 0 ? 0 : sum / contrast.length,
  };
}
