/**
 * One image through the classifier in either classification mode, with its CAM cut to what the
 * classifier covered and placed by its frame (cam-frame.ts): the centre 256 x 256 crop
 * (centre-crop mode, the reference), or the analysed area covered by tiles (tiles mode,
 * inference/classify.ts classifyTiles: tiles of the resized image inside the area, logits
 * averaged with each tile's area as weight). The analysis (classify-raster.ts) and heads that also
 * read descriptors (classify-feature-head.ts) both classify through here.
 */
import { cropPlane, type AnalysedArea } from "~/core/analysed-area/analysed-area";
import { mapToBytes } from "~/core/analysis/cam";
import type { Raster } from "~/core/analysis/raster";
import type { CamRequest, ModelSummary, TiledClassification } from "~/server/inference/classify";
import { classifyTiles } from "~/server/inference/classify";
import type { LinearHead } from "~/server/inference/linear-head";
import type { CamFrame } from "./analysis-record";
import { centreCropFrame, frameOfResizedRect, storedFrame, tiledAreaInResized } from "./cam-frame";

/** A CAM as 8-bit codes (0..255 for 0..1), width x height, and where it lies over the image. */
export type FramedCam = { data: Uint8Array; width: number; height: number; frame: CamFrame };

/** A centre-crop CAM (the classifier's 256 x 256 map) with its frame. */
export function framedCentreCropCam(cam: Float32Array, size: number, image: Raster): FramedCam {
  return { data: mapToBytes(cam), width: size, height: size, frame: storedFrame(centreCropFrame(image)) };
}

/**
 * The tiles mode on one image: its analysed area (original px; null: the whole image) covered by
 * tiles at the model's scale, the aggregated classification, and the stitched CAM of the area.
 */
export async function classifyTiledRaster(options: {
  backbonePath: string;
  head?: LinearHead;
  raster: Raster;
  analysedArea: AnalysedArea | null;
  cam: CamRequest;
}): Promise<{ model: ModelSummary; result: TiledClassification; cam?: FramedCam }> {
  const { raster } = options;
  const area = tiledAreaInResized(options.analysedArea, raster);
  const { model, result } = await classifyTiles({
    model: options.backbonePath,
    head: options.head,
    raster,
    area,
    cam: options.cam,
  });
  if (!result.cam) return { model, result };
  // Tiles lie inside the area unless it is thinner than a tile: the CAM shows the area only.
  const inArea = cropPlane(result.cam, result.width, result.height, {
    x: area.left,
    y: area.top,
    width: area.width,
    height: area.height,
  });
  return {
    model,
    result,
    cam: {
      data: mapToBytes(inArea),
      width: area.width,
      height: area.height,
      frame: storedFrame(frameOfResizedRect(area, raster)),
    },
  };
}
