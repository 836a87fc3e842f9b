/**
 * The analysed area an image gets at upload (and on "detect again"): what the file's metadata
 * says, else what detectDataBar finds in its pixels, else null (the whole image).
 * - FEI/Thermo TIFFs record the scanned image's height without the data bar they append below it
 *   (pixel-size.ts: instrument.imageHeightPx, from [Image] ResolutionY).
 * - Everything else (PNG, JPEG, Zeiss TIFFs, whose data zone is drawn over the scan and whose
 *   tag 34118 gives no height for it) is decoded and searched for a data bar. The search runs on
 *   the grey image as the analysis makes it (toAnalysisImage), its long side capped at
 *   DETECTION_MAX_SIDE, and the bar's height is scaled back to rows of the image.
 * findAnalysedArea decodes: it runs in a heavy-work thread (task "image.analysedArea").
 */
import { areaAboveDataBar, scaleAnalysedArea, type AnalysedAreaRecord } from "~/core/analysed-area/analysed-area";
import { detectDataBar } from "~/core/analysed-area/detect-data-bar";
import { toAnalysisImage } from "~/core/analysis/analysis-image";
import { decodeTaskImage } from "~/server/analysis/decode-task-image";
import type { ImageProbe } from "~/server/codecs/probe-image";
import { cappedWidth } from "~/server/objects/compute-object-set";
import type { DecodeLimits } from "~/server/workers/heavy-tasks";

/** Long side of the grey image searched for a data bar (a 16k mosaic's bar is still 100+ rows). */
export const DETECTION_MAX_SIDE = 2048;

export type AnalysedAreaProbe = Pick<ImageProbe, "width" | "height" | "metadata">;

/**
 * The area the metadata gives: a record, null when it says the whole image is the scan, or
 * undefined when it says nothing.
 */
export function analysedAreaFromMetadata(probe: AnalysedAreaProbe): AnalysedAreaRecord | null | undefined {
  const scannedRows = probe.metadata.instrument?.imageHeightPx;
  if (typeof scannedRows !== "number" || !Number.isInteger(scannedRows) || scannedRows <= 0) return undefined;
  if (scannedRows >= probe.height) return null;
  const area = areaAboveDataBar(probe, probe.height - scannedRows);
  return area && { ...area, source: "metadata" };
}

export async function findAnalysedArea(
  bytes: Buffer,
  input: { limits: DecodeLimits; probe: AnalysedAreaProbe },
): Promise<AnalysedAreaRecord | null> {
  const fromMetadata = analysedAreaFromMetadata(input.probe);
  if (fromMetadata !== undefined) return fromMetadata;
  const raster = await decodeTaskImage(bytes, input.limits);
  const grey = toAnalysisImage(raster, { width: cappedWidth(raster.width, raster.height, DETECTION_MAX_SIDE) });
  const barRows = detectDataBar(grey);
  const inGrey = areaAboveDataBar(grey, barRows);
  if (inGrey === null) return null;
  return { ...scaleAnalysedArea(inGrey, grey, raster), source: "detected" };
}
