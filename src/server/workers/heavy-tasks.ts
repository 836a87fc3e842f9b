/**
 * THE list of heavy tasks the web process (and the job workers) hand to worker threads, each with
 * its input and output. Images travel as ArrayBuffers (moved, not copied) or as a path to a file
 * the thread reads itself (zip entries expanded to disk), never as decoded pixels.
 */
import type { AnalysisParams } from "~/server/analysis/run-analysis";
import type { CamClass } from "~/server/analysis/analysis-params-schema";
import type { AnalysisItemResult } from "~/server/analysis/analyse-encoded-image";
import type { ClassificationOutcome, ClassifierSpec } from "~/server/analysis/classify-raster";
import type { ClassificationMode } from "~/core/settings/analysis-settings";
import type {
  AnalysisDescriptors,
  CamFrame,
  ClusterStats,
  MapRef,
  StoredAnalysisParams,
} from "~/server/analysis/analysis-record";
import type { ImageProbe } from "~/server/codecs/probe-image";
import type { AnalysedArea, AnalysedAreaRecord } from "~/core/analysed-area/analysed-area";
import type { AnalysedAreaProbe } from "~/server/images/find-analysed-area";
import type { ObjectSetComputation } from "~/server/objects/compute-object-set";
import type { ObjectSegmentationParams } from "~/core/objects/segment-objects";
import type { EmbedImageTaskInput, EmbedImageTaskOutput } from "~/server/inference/sam2/embed-image-task";
import type { DecodePromptTaskInput, DecodePromptTaskOutput } from "~/server/inference/sam2/decode-prompt-task";
import type { ComputeSam2ObjectSetInput, Sam2ObjectSetComputation } from "~/server/objects/compute-sam2-object-set";

/** An encoded file: its bytes (moved to the thread) or a file the thread reads. */
export type ByteSource = { bytes: ArrayBuffer } | { file: string };

/** Limits every decoding task checks against the header before it allocates pixels. */
export type DecodeLimits = {
  /** Largest encoded file, in bytes. */
  maxBytes: number;
  /** Largest first page, in pixels (UPLOAD_MAX_PIXELS). */
  maxPixels: number;
  /** Largest decoded first page held in memory, in bytes (DECODE_MAX_BYTES). */
  maxDecodedBytes: number;
};

/** A PNG made in a thread. */
export type EncodedImage = { png: ArrayBuffer; width: number; height: number };

export type EncodedMap = EncodedImage & { encoding: MapRef["encoding"] };

/** The classification of an analysis without its CAM pixels (those come back as a PNG). */
export type ClassificationSummary =
  | Omit<Extract<ClassificationOutcome, { status: "classified" }>, "cam">
  | Extract<ClassificationOutcome, { status: "skipped" }>;

export type AnalysisTaskInput = {
  /** One or more images, analysed with the same parameters and classifier (batched). */
  sources: ByteSource[];
  limits: DecodeLimits;
  params: AnalysisParams;
  /** Resolved by the caller (it needs the database); null or skipped: no classification. */
  classifier: ClassifierSpec | { skipped: string } | null;
  camClass: CamClass;
  /** What the classifier sees (classify-raster.ts). @default "centre-crop" */
  classification?: ClassificationMode;
  /** The tiles mode: each source's analysed area (its px; null: the whole image), in the order of `sources`. */
  analysedAreas?: (AnalysedArea | null)[];
};

export type AnalysisTaskOutput = {
  maps: {
    grey: EncodedMap;
    segmentation: EncodedMap;
    contrast: EncodedMap;
    clusters: (EncodedMap & { requestedK: number; k: number })[];
    /** The CAM in resized pixels, and where it lies over the image (cam-frame.ts). */
    cam?: EncodedMap & { frame: CamFrame };
  };
  classification: ClassificationSummary;
  analysisParams: StoredAnalysisParams["analysis"];
  clusterStats: ClusterStats;
  descriptors: AnalysisDescriptors;
  /** Milliseconds per stage in the thread: decode, classify, the analysis steps, encode. */
  timingsMs: Record<string, number>;
};

export type HeavyTasks = {
  /** Header-only validation of an upload (probeImage) and its sha256. */
  "image.probe": {
    input: { source: ByteSource; limits: DecodeLimits };
    output: { probe: ImageProbe; sha256: string; byteSize: number };
  };
  /** The 256 px thumbnail; decodes the whole first page, so it also proves the file is not truncated. */
  "image.thumbnail": {
    input: {
      source: ByteSource;
      limits: DecodeLimits;
      probe: Pick<ImageProbe, "format" | "bitDepth" | "channels" | "metadata">;
    };
    output: EncodedImage & { window: { min: number; max: number } | null };
  };
  /** The display rendition: an 8-bit PNG of at most `maxSide` pixels on its long side. */
  "image.display": {
    input: { source: ByteSource; limits: DecodeLimits; maxSide: number };
    output: EncodedImage & { sourceWidth: number; sourceHeight: number };
  };
  /** The raw samples of a 16-bit image: a 16-bit PNG at the display's size (renderSamples16). */
  "image.samples": {
    input: { source: ByteSource; limits: DecodeLimits; maxSide: number };
    output: EncodedImage;
  };
  /** The analysed area: from the metadata, else a data bar searched in the pixels (find-analysed-area.ts). */
  "image.analysedArea": {
    input: { source: ByteSource; limits: DecodeLimits; probe: AnalysedAreaProbe };
    output: AnalysedAreaRecord | null;
  };
  /**
   * Decode, classify (+ CAM, in batched runs), the analysis pipeline, and every map encoded as
   * PNG: one result per source, in order, each the analysis or that image's error.
   */
  "analysis.compute": { input: AnalysisTaskInput; output: AnalysisItemResult[] };
  /**
   * Decode, grey image (long side capped at `maxSide`), segment and measure the objects, and the
   * label map encoded as an RGBA PNG (object-set-labels.ts). Numbers in pixels of the label map.
   */
  "objects.compute": {
    input: {
      source: ByteSource;
      limits: DecodeLimits;
      params: ObjectSegmentationParams;
      maxSide: number;
      /** Px of the image: only this part is segmented and measured; null = the whole image. */
      analysedArea?: AnalysedArea | null;
    };
    output: ObjectSetComputation;
  };
  /** Decode, run the SAM 2 encoder, and the embedding's blob bytes (inference/sam2/embed-image-task.ts). */
  "sam2.embed": { input: EmbedImageTaskInput & { source: ByteSource }; output: EmbedImageTaskOutput };
  /** One prompt set through the SAM 2 decoder on a kept embedding (inference/sam2/decode-prompt-task.ts). */
  "sam2.decode": { input: DecodePromptTaskInput; output: DecodePromptTaskOutput };
  /**
   * Decode, grey image (long side capped at `maxSide`), SAM 2's automatic mask generator on the
   * embedding, every mask measured, the label map as RGBA PNG (objects/compute-sam2-object-set.ts).
   */
  "sam2.generate": { input: ComputeSam2ObjectSetInput & { source: ByteSource }; output: Sam2ObjectSetComputation };
};
