/**
 * The CPU-heavy middle of an image analysis, run in a worker thread (task "analysis.compute",
 * src/server/workers/heavy-tasks.ts): decode (within the pixel and decoded-bytes limits, checked
 * from the header first), classify (+ CAM) through ONNX Runtime, the analysis pipeline, and every
 * map encoded as an 8-bit PNG. The caller (compute-image-analysis.ts) loads the bytes, resolves
 * the classifier with the database, and stores the PNGs.
 */
import { scaleToColormapIndex, type GreyImage } from "~/core/analysis";
import type { Raster } from "~/core/analysis/raster";
import { createStepTimer } from "~/core/timings";
import { encodePng } from "~/server/codecs/encode-png";
import type { AnalysisTaskInput, AnalysisTaskOutput, EncodedMap } from "~/server/workers/heavy-tasks";
import type { AnalysisDescriptors, ClusterStats, MapRef } from "./analysis-record";
import { classifyRaster, type ClassificationOutcome } from "./classify-raster";
import { decodeTaskImage } from "./decode-task-image";
import { ImageAnalysisError } from "./image-analysis-error";
import { runAnalysis, type AnalysisResult } from "./run-analysis";

export async function analyseEncodedImage(
  bytes: Buffer,
  input: Omit<AnalysisTaskInput, "source">,
): Promise<{ output: AnalysisTaskOutput; transfer: ArrayBuffer[] }> {
  const { timingsMs, lap } = createStepTimer();
  let raster: Raster | undefined = await decodeTaskImage(bytes, input.limits);
  lap("decode");

  const { classifier, camClass } = input;
  const classification: ClassificationOutcome =
    classifier === null || "skipped" in classifier
      ? { status: "skipped", reason: classifier?.skipped ?? "classification not requested" }
      : await classifyRaster({ raster, model: classifier, camClass });
  lap("classify");

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
  raster = undefined; // the decoded page is no longer needed while the maps are encoded
  for (const [step, ms] of Object.entries(result.timingsMs)) if (step !== "total") timingsMs[step] = ms;
  lap("encode"); // only starts the step: runAnalysis timed its own steps, and "encode" is set again below

  const transfer: ArrayBuffer[] = [];
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
  const [grey, segmentation, contrast, ...clusters] = await Promise.all([
    encode(result.grey, "grey"),
    encode(result.otsu.segmented, "mask"),
    encode(scaleToColormapIndex(counts, result.texture.pairsPerWindow), "colormap-index"),
    ...result.kmeans.map((r) => encode(r.labels, "labels")),
  ]);
  const maps: AnalysisTaskOutput["maps"] = {
    grey: grey,
    segmentation: segmentation,
    contrast: contrast,
    clusters: result.kmeans.map((r, i) => ({ ...clusters[i]!, requestedK: r.requestedK, k: r.k })),
  };
  let summary: AnalysisTaskOutput["classification"] = classification;
  if (classification.status === "classified") {
    const { cam, ...rest } = classification;
    maps.cam = await encode(cam, "heat");
    summary = rest;
  }
  lap("encode");

  return {
    output: {
      maps,
      classification: summary,
      analysisParams: result.params,
      clusterStats: clusterStatsOf(result),
      descriptors: descriptorsOf(result),
      timingsMs,
    },
    transfer,
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
