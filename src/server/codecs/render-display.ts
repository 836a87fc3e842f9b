/**
 * The display rendition of an image: an 8-bit PNG a browser draws, at most `maxSide` pixels on
 * its long side (bigger images are downscaled; the canvas scales the rendition back to the
 * image's own size, so coordinates stay those of the original). Deep images are windowed to the
 * sample range they use, the rule of thumbnails (make-thumbnail.ts).
 *
 * Memory stays bounded by the OUTPUT: libvips streams the decode and the resize, integer deep
 * images are windowed inside libvips (linear + cast to 8 bits, clamped), and only the 8-bit
 * result is ever held in full. Float images (rare) take the thumbnail path, whose float buffer
 * is bounded by maxSide too.
 */
import sharp, { type Sharp } from "sharp";
import { makeThumbnail } from "./make-thumbnail";
import { decodeOrCorrupt, openFirstPage, type ImageProbe } from "./probe-image";

export type DisplayRendition = { png: Buffer; width: number; height: number };

export type RenditionOptions = { maxPixels: number; maxDecodedBytes?: number; maxSide: number };

/** The rendition's long side: `maxSide`, or the image's own when smaller (never enlarged). */
function renditionSide(probe: ImageProbe, options: RenditionOptions): number {
  return Math.min(options.maxSide, Math.max(probe.width, probe.height));
}

/** The first page, decoded within the pixel and decoded-bytes limits. */
function openImage(bytes: Buffer, probe: ImageProbe, options: RenditionOptions): Sharp {
  return openFirstPage(bytes, {
    format: probe.format,
    maxPixels: options.maxPixels,
    maxDecodedBytes: options.maxDecodedBytes,
  });
}

export async function renderDisplay(
  bytes: Buffer,
  probe: ImageProbe,
  options: RenditionOptions,
): Promise<DisplayRendition> {
  const maxSide = renditionSide(probe, options);
  if (probe.metadata.floatSamples) {
    const thumbnail = await makeThumbnail(bytes, probe, { ...options, maxSide });
    return { png: thumbnail.png, width: thumbnail.width, height: thumbnail.height };
  }
  const open = () => openImage(bytes, probe, options);
  const resized = (): Sharp =>
    open().removeAlpha().resize(maxSide, maxSide, { fit: "inside", withoutEnlargement: true });
  return decodeOrCorrupt(async () => {
    if (probe.bitDepth === 8) {
      let image = resized();
      if (probe.channels <= 2) image = image.toColourspace("b-w");
      const { data, info } = await image.png().toBuffer({ resolveWithObject: true });
      return { png: data, width: info.width, height: info.height };
    }
    // The window: the true min..max of the whole first page (as thumbnails), colour bands only.
    const stats = await open().stats();
    const colour = probe.metadata.hasAlpha ? stats.channels.slice(0, -1) : stats.channels;
    let min = Math.min(...colour.map((channel) => channel.min));
    let max = Math.max(...colour.map((channel) => channel.max));
    if (!Number.isFinite(min) || !Number.isFinite(max)) min = max = 0;
    const scale = max > min ? 255 / (max - min) : 0;

    let image = resized();
    if (probe.metadata.colourSpace) image = image.toColourspace(probe.metadata.colourSpace);
    // +0.5 then a clamping cast to 8 bits: rounded like the thumbnails' Math.round.
    const { data, info } = await image
      .linear(scale, -min * scale + 0.5)
      .raw({ depth: "uchar" })
      .toBuffer({ resolveWithObject: true });
    let encoder = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
    if (info.channels === 1) encoder = encoder.toColourspace("b-w");
    const png = await encoder.png().toBuffer();
    return { png, width: info.width, height: info.height };
  });
}

/**
 * The raw samples of a 16-bit image for the browser's window/level and pointer readout: a 16-bit
 * PNG (grey or RGB, no alpha) at the display rendition's size, so one sample per displayed pixel.
 * Images no larger than `maxSide` keep every stored value; a bigger one is downscaled to the
 * nearest pixel, so each value is still one the file holds. Memory is bounded by the output, as
 * for the display.
 */
export async function renderSamples16(
  bytes: Buffer,
  probe: ImageProbe,
  options: RenditionOptions,
): Promise<DisplayRendition> {
  const maxSide = renditionSide(probe, options);
  return decodeOrCorrupt(async () => {
    const image = openImage(bytes, probe, options)
      .removeAlpha()
      // Nearest pixel: every value shown is one the file holds, never an average.
      .resize(maxSide, maxSide, { fit: "inside", withoutEnlargement: true, kernel: "nearest" })
      .toColourspace(probe.channels <= 2 ? "grey16" : "rgb16");
    const { data, info } = await image.png({ compressionLevel: 6 }).toBuffer({ resolveWithObject: true });
    return { png: data, width: info.width, height: info.height };
  });
}
