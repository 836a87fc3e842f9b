import { toAnalysisImage } from "~/core/analysis/analysis-image";
import type { Raster } from "~/core/analysis/raster";
import type { PixelSize } from "~/core/objects/units";
import { encodeCompressedCounts } from "~/core/regions/coco-rle";
import type { Sam2AmgParams } from "~/core/sam2/amg-params";
import { generateSam2Masks } from "~/server/inference/sam2/generate-sam2-masks";
import { embeddingTensors } from "~/server/inference/sam2/sam2-contract";
import { computeSam2Embedding } from "~/server/inference/sam2/sam2-embedding";
import { openSam2Folder, type LoadedSam2Model } from "~/server/inference/sam2/sam2-model";
import { findReadySam2Model, resolveSam2Folder } from "~/server/inference/sam2/sam2-registry";
import { measureSam2Masks, type Sam2ObjectRecord } from "~/server/objects/measure-sam2-masks";
import { descriptorJson, type DescriptorJson } from "./descriptor-json";

/**
 * The `--method sam2` path of `npm run cli -- objects`: SAM 2's automatic mask generator with an
 * installed model (or a folder of exported files), on the same services as the dataset jobs
 * (computeSam2Embedding, generateSam2Masks, measureSam2Masks), run in this process. objects.ts
 * writes the files with its classical writers; this module makes the numbers and result.json's
 * SAM fields.
 */

/** The model named on the command line: an installed name, a folder, or the first ready model. */
export async function cliSam2Model(nameOrFolder: string | undefined): Promise<LoadedSam2Model> {
  if (nameOrFolder === undefined) return openSam2Folder((await findReadySam2Model()).folder);
  return openSam2Folder(resolveSam2Folder(nameOrFolder));
}

/** One SAM 2 object of result.json: SAM's record (bbox, scores, point, COCO RLE) with the descriptors. */
export type Sam2ObjectJson = DescriptorJson & {
  /** [x, y, w, h] in image pixels as SAM 2 records it: w = x1 - x0 of the mask's inclusive box. */
  bbox: [number, number, number, number];
  predictedIou: number;
  stabilityScore: number;
  /** The grid point that prompted the mask, image pixels [x, y]. */
  point: [number, number];
  /** The whole mask, as pycocotools writes it (column-major, compressed counts). */
  segmentation: { size: [number, number]; counts: string };
};

export type Sam2ImageResult = {
  width: number;
  height: number;
  /** Label map, overlaps shown as the higher predicted IoU. */
  labels: Int32Array;
  objects: Sam2ObjectRecord[];
  json: Sam2ObjectJson[];
  imageStats: Record<string, unknown>;
  generator: Record<string, number>;
  timingsMs: Record<string, number>;
};

export async function sam2Objects(
  raster: Raster,
  options: { model: LoadedSam2Model; params: Partial<Sam2AmgParams>; width: number | undefined; q: number },
): Promise<Sam2ImageResult> {
  const { stored, timingsMs: encoder } = await computeSam2Embedding(options.model, raster);
  const timingsMs: Record<string, number> = { ...encoder };
  let mark = performance.now();
  const grey = toAnalysisImage(raster, { width: options.width ?? raster.width, maxPixels: 0x3fff * 0x3fff });
  timingsMs.grey = performance.now() - mark;
  const generated = await generateSam2Masks({
    model: options.model,
    tensors: embeddingTensors(stored.embedding),
    width: grey.width,
    height: grey.height,
    params: options.params,
  });
  timingsMs.decoder = generated.timingsMs.decoder;
  timingsMs.generator = generated.timingsMs.total - generated.timingsMs.decoder;
  mark = performance.now();
  const measured = measureSam2Masks(generated.masks, grey, { q: options.q });
  timingsMs.measure = performance.now() - mark;
  const json = measured.objects.map((o, i): Sam2ObjectJson => {
    const mask = generated.masks[i]!;
    return {
      ...descriptorJson(o),
      bbox: mask.bbox,
      predictedIou: o.predicted_iou,
      stabilityScore: o.stability_score,
      point: o.point,
      segmentation: { size: mask.rle.size, counts: encodeCompressedCounts(mask.rle.counts) },
    };
  });
  return {
    width: grey.width,
    height: grey.height,
    labels: measured.labels,
    objects: measured.objects,
    json,
    imageStats: measured.imageStats,
    generator: generated.stats,
    timingsMs,
  };
}

/** result.json of a SAM 2 run. */
export function sam2ResultJson(
  result: Sam2ImageResult,
  context: { model: LoadedSam2Model; params: Partial<Sam2AmgParams>; pixelSize: PixelSize | null },
) {
  const { model } = context;
  const dispersion = result.imageStats.indexOfDispersion as {
    q: number;
    max: number | null;
    curve: Record<string, number | null>;
  } | null;
  return {
    method: "sam2" as const,
    model: {
      name: model.card.name,
      variant: model.card.variant ?? null,
      folder: model.folder,
      pairSha256: model.pairSha256,
      provider: model.provider,
    },
    params: context.params,
    width: result.width,
    height: result.height,
    pixelSize: context.pixelSize,
    count: result.objects.length,
    coverage: result.imageStats.coverage as number,
    indexOfDispersion: dispersion && { q: dispersion.q, max: dispersion.max, curve: dispersion.curve },
    generator: result.generator,
    objects: result.json,
    timingsMs: result.timingsMs,
  };
}
