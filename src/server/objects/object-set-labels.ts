/**
 * THE encoding of an object set's label map, as stored (ObjectSet.labelMapKey) and served by
 * GET /api/object-sets/:objectSetId/labels:
 *
 *   an 8-bit RGBA PNG, the size of the label map (ObjectSetDto.width x height, which is the
 *   image's size unless its long side exceeds OBJECTS_MAX_SIDE = 4096: then scale by
 *   image.width / width), one pixel per label-map pixel, with
 *     label = R + 256 * G + 65536 * B      (0 = background, objects 1..count = record.label)
 *     A     = 255 on objects, 0 on the background.
 *
 * Why RGBA and not 16-bit grey: a browser canvas reads every PNG as 8 bits per channel
 * (getImageData), so 16-bit samples would lose their low byte; three bytes hold 16.7 M labels,
 * and the transparent background lets the PNG be drawn as is. No colour profile is written, so
 * browsers do not colour-manage the values. Read it back with
 * `const { data } = ctx.getImageData(...); label = data[i] + 256 * data[i + 1] + 65536 * data[i + 2]`
 * (alpha 0 means background; with premultiplied canvases RGB is 0 there as well).
 * Outlines: a pixel is on an object's outline when its label differs from a 4-neighbour's.
 */
import { encodePng } from "~/server/codecs/encode-png";

/** Largest label the encoding holds (24 bits). */
export const MAX_ENCODED_LABEL = 0xffffff;

/** The RGBA samples of a label map (see the module comment). */
export function labelMapRgba(labels: Int32Array): Uint8Array {
  const rgba = new Uint8Array(labels.length * 4);
  for (let i = 0, j = 0; i < labels.length; i++, j += 4) {
    const label = labels[i]!;
    if (label <= 0) continue;
    if (label > MAX_ENCODED_LABEL) throw new RangeError(`label ${label} exceeds ${MAX_ENCODED_LABEL}`);
    rgba[j] = label & 0xff;
    rgba[j + 1] = (label >> 8) & 0xff;
    rgba[j + 2] = (label >> 16) & 0xff;
    rgba[j + 3] = 255;
  }
  return rgba;
}

/** Labels back from RGBA samples (the inverse of {@link labelMapRgba}). */
export function labelsFromRgba(rgba: Uint8Array | Uint8ClampedArray): Int32Array {
  const labels = new Int32Array(rgba.length / 4);
  for (let i = 0, j = 0; i < labels.length; i++, j += 4) {
    labels[i] = rgba[j + 3] === 0 ? 0 : rgba[j]! + 256 * rgba[j + 1]! + 65536 * rgba[j + 2]!;
  }
  return labels;
}

/** The label map as the PNG described above, in its own ArrayBuffer (transferable). */
export async function encodeLabelMapPng(labels: Int32Array, width: number, height: number): Promise<ArrayBuffer> {
  const png = await encodePng(labelMapRgba(labels), width, height, 4);
  const copy = new Uint8Array(png.byteLength);
  copy.set(png);
  return copy.buffer;
}
