/**
 * Where a class activation map lies over its image: the one module that knows it. The classifier
 * sees the image resized to the model's scale (shorter side 307, preprocess.ts) and its CAM is a
 * rectangle of that resized image: the centre 256 x 256 crop (centre-crop mode, the reference) or
 * the analysed area (tiles mode). Stored with each CAM as its frame, in original image pixels
 * (fractional: one resized pixel spans image.width / resized.width original pixels), which is
 * what every consumer (workspace canvas, pixel readout, CAM agreement, share page, overlay export)
 * places it by. CAMs stored before frames were recorded are centre crops.
 */
import type { AnalysedArea } from "~/core/analysed-area/analysed-area";
import type { TileRect } from "~/core/analysis/tiles";
import { INPUT_SIZE } from "~/server/inference/onnx-contract";
import { centreCropOffset, resizedRectWithin, resizedSize } from "~/server/inference/preprocess";
import type { CamFrame } from "./analysis-record";

export type { CamFrame } from "./analysis-record";

export type ImageSize = { width: number; height: number };

/** A rectangle of the resized image (the classifier's frame) in original pixels. */
export function frameOfResizedRect(rect: TileRect, image: ImageSize): CamFrame {
  const resized = resizedSize(image.width, image.height);
  const scaleX = image.width / resized.width;
  const scaleY = image.height / resized.height;
  return { x: rect.left * scaleX, y: rect.top * scaleY, width: rect.width * scaleX, height: rect.height * scaleY };
}

/**
 * A frame as stored with a CAM: to a millionth of a pixel, so that its short decimals survive
 * every JSON and database round trip unchanged.
 */
export function storedFrame(frame: CamFrame): CamFrame {
  const micro = (value: number) => Math.round(value * 1e6) / 1e6;
  return { x: micro(frame.x), y: micro(frame.y), width: micro(frame.width), height: micro(frame.height) };
}

/** The centre crop the network sees in the centre-crop mode, in resized pixels. */
export function centreCropInResized(image: ImageSize): TileRect {
  const resized = resizedSize(image.width, image.height);
  return {
    left: centreCropOffset(resized.width, INPUT_SIZE),
    top: centreCropOffset(resized.height, INPUT_SIZE),
    width: INPUT_SIZE,
    height: INPUT_SIZE,
  };
}

/** The centre crop in original pixels (the frame of every centre-crop CAM). */
export function centreCropFrame(image: ImageSize): CamFrame {
  return frameOfResizedRect(centreCropInResized(image), image);
}

/**
 * What the tiles mode covers, in resized pixels: the analysed area (original pixels; null: the
 * whole image) scaled into the resized image axis by axis (the two scales differ: the resize
 * truncates the long side), keeping only the resized pixels the resize computes from inside the
 * area (preprocess.ts resizedRectWithin), so that no pixel of a data bar below it reaches a tile.
 */
export function tiledAreaInResized(area: AnalysedArea | null, image: ImageSize): TileRect {
  if (!area) return { left: 0, top: 0, ...resizedSize(image.width, image.height) };
  return resizedRectWithin(
    { left: area.x, top: area.y, width: area.width, height: area.height },
    image.width,
    image.height,
  );
}

/** Where a stored CAM lies: its recorded frame, else (stored before frames were) the centre crop. */
export function camFrameOf(cam: { frame?: CamFrame }, image: ImageSize): CamFrame {
  return cam.frame ?? centreCropFrame(image);
}

/** Where any stored map lies over its image: a CAM by its frame, every other map over the whole image. */
export function mapRectOf(map: { role: string; camFrame: CamFrame | null }, image: ImageSize): CamFrame {
  if (map.role !== "cam") return { x: 0, y: 0, width: image.width, height: image.height };
  return camFrameOf({ frame: map.camFrame ?? undefined }, image);
}
