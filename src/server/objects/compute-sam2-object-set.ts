/**
 * The CPU-heavy part of a SAM 2 object set, run in a heavy-work thread (task "sam2.generate"):
 * decode the image (limits checked from the header first), make the grey image the objects are
 * measured on exactly as classical object sets do (toAnalysisImage at full resolution, long side
 * capped at `maxSide`), run the automatic mask generator at that size with the ONNX decoder on the
 * image's embedding (generate-sam2-masks.ts), measure every mask whole (measure-sam2-masks.ts) and
 * encode the label map (object-set-labels.ts). The caller stores the blobs and writes the row.
 */
import { toAnalysisImage } from "~/core/analysis/analysis-image";
import type { Raster } from "~/core/analysis/raster";
import type { CocoRle } from "~/core/regions/coco-rle";
import { createStepTimer } from "~/core/timings";
import { decodeTaskImage } from "~/server/analysis/decode-task-image";
import { generateSam2Masks } from "~/server/inference/sam2/generate-sam2-masks";
import { cachedEmbedding, rememberEmbedding } from "~/server/inference/sam2/sam2-embedding-cache";
import { getSam2Decoder } from "~/server/inference/sam2/sam2-model";
import type { DecodeLimits } from "~/server/workers/heavy-tasks";
import { cappedWidth } from "./compute-object-set";
import { encodeLabelMapPng } from "./object-set-labels";
import { measureSam2Masks, type Sam2ObjectRecord } from "./measure-sam2-masks";
import type { Sam2AmgParams } from "~/core/sam2/amg-params";

export type ComputeSam2ObjectSetInput = {
  limits: DecodeLimits;
  modelFolder: string;
  /** sam2EmbeddingKey of the image's embedding; `embedding` its blob bytes (the thread may hold it). */
  embeddingKey: string;
  embedding: ArrayBuffer;
  params: Sam2AmgParams;
  maxSide: number;
};

/** One stored SAM 2 object: its descriptors, SAM's numbers and the whole mask as COCO RLE (label-map grid). */
export type Sam2StoredObject = Sam2ObjectRecord & { rle: CocoRle };

export type Sam2ObjectSetComputation = {
  labelPng: ArrayBuffer;
  /** The label map's size (the grid the masks and numbers are in). */
  width: number;
  height: number;
  sourceWidth: number;
  sourceHeight: number;
  objects: Sam2StoredObject[];
  imageStats: Record<string, unknown>;
  /** The generator's own counts (candidates, removed by each filter). */
  generator: Record<string, number>;
  timingsMs: Record<string, number>;
};

export async function computeSam2ObjectSet(
  bytes: Buffer,
  input: ComputeSam2ObjectSetInput,
): Promise<{ output: Sam2ObjectSetComputation; transfer: ArrayBuffer[] }> {
  const { timingsMs, lap, finish } = createStepTimer();
  const decoder = await getSam2Decoder(input.modelFolder);
  const cached = cachedEmbedding(input.embeddingKey) ?? rememberEmbedding(input.embeddingKey, input.embedding);
  lap("model");
  let raster: Raster | undefined = await decodeTaskImage(bytes, input.limits);
  const sourceWidth = raster.width;
  const sourceHeight = raster.height;
  lap("decode");
  const grey = toAnalysisImage(raster, { width: cappedWidth(sourceWidth, sourceHeight, input.maxSide) });
  raster = undefined;
  lap("grey");
  const generated = await generateSam2Masks({
    model: { decoder: decoder.session, folder: decoder.folder },
    tensors: cached.tensors,
    width: grey.width,
    height: grey.height,
    params: input.params,
  });
  timingsMs.decoder = generated.timingsMs.decoder;
  lap("generate");
  const measured = measureSam2Masks(generated.masks, grey);
  lap("measure");
  const labelPng = await encodeLabelMapPng(measured.labels, grey.width, grey.height);
  lap("encode");
  finish();
  return {
    output: {
      labelPng,
      width: grey.width,
      height: grey.height,
      sourceWidth,
      sourceHeight,
      objects: measured.objects.map((object, i) => ({ ...object, rle: generated.masks[i]!.rle })),
      imageStats: measured.imageStats,
      generator: generated.stats,
      timingsMs,
    },
    transfer: [labelPng],
  };
}
