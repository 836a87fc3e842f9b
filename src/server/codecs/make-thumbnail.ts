/**
 * An 8-bit PNG preview of an image's first page, at most `maxSide` pixels on its long side.
 * Decoding the whole page here is also what proves the file is not truncated: probeImage only
 * reads headers.
 */
import sharp, { type Sharp } from "sharp";
import { decodeOrCorrupt, openFirstPage, type ImageProbe } from "./probe-image";

export type Thumbnail = {
  png: Buffer;
  width: number;
  height: number;
  /** The sample range mapped to 0..255, for images deeper than 8 bits; null when not windowed. */
  window: { min: number; max: number } | null;
};

export type MakeThumbnailOptions = {
  maxPixels: number;
  /** Decoded-bytes budget of formats decoded whole (BMP); see ProbeImageOptions. */
  maxDecodedBytes?: number;
  /** @default 256 */
  maxSide?: number;
};

export async function makeThumbnail(
  bytes: Buffer,
  probe: Pick<ImageProbe, "format" | "bitDepth" | "channels" | "metadata">,
  options: MakeThumbnailOptions,
): Promise<Thumbnail> {
  const maxSide = options.maxSide ?? 256;
  const open = () =>
    openFirstPage(bytes, {
      format: probe.format,
      maxPixels: options.maxPixels,
      maxDecodedBytes: options.maxDecodedBytes,
    });
  const resize = (image: Sharp) =>
    image.removeAlpha().resize(maxSide, maxSide, { fit: "inside", withoutEnlargement: true });
  return decodeOrCorrupt(async () => {
    if (probe.bitDepth === 8) {
      let image = resize(open());
      if (probe.channels <= 2) image = image.toColourspace("b-w"); // grey BMPs arrive as raw bands
      const { data, info } = await image.png().toBuffer({ resolveWithObject: true });
      return { png: data, width: info.width, height: info.height, window: null };
    }
    return windowedThumbnail(open, resize, probe.metadata);
  });
}

/**
 * Deep images (16-bit, 32-bit) are windowed to the sample range they actually use, not to the
 * full 0..65535: an SEM micrograph stored as 16 bits often uses ~200 levels, and a plain
 * conversion to 8 bits would turn it into a uniformly black square. For integer samples the
 * range is the true min..max of the whole first page (sharp's stats); sharp truncates those
 * statistics to integers, so float images take the range of the resized samples instead. One
 * range is shared by all colour channels so colours keep their balance.
 */
async function windowedThumbnail(
  open: () => Sharp,
  resize: (image: Sharp) => Sharp,
  metadata: Pick<ImageProbe["metadata"], "colourSpace" | "hasAlpha" | "floatSamples">,
): Promise<Thumbnail> {
  let image = resize(open());
  // Keep the source interpretation (grey16, rgb16...) so sharp does not rescale to 8-bit sRGB
  // on output; the values come out as floats and are windowed below.
  if (metadata.colourSpace) image = image.toColourspace(metadata.colourSpace);
  const { data, info } = await image.raw({ depth: "float" }).toBuffer({ resolveWithObject: true });
  const samples = new Float32Array(data.buffer, data.byteOffset, data.byteLength / 4);

  let min = Infinity;
  let max = -Infinity;
  if (metadata.floatSamples) {
    for (const value of samples) {
      if (Number.isFinite(value)) {
        min = Math.min(min, value);
        max = Math.max(max, value);
      }
    }
  } else {
    const stats = await open().stats();
    const colourChannels = metadata.hasAlpha ? stats.channels.slice(0, -1) : stats.channels;
    min = Math.min(...colourChannels.map((channel) => channel.min));
    max = Math.max(...colourChannels.map((channel) => channel.max));
  }
  if (!Number.isFinite(min) || !Number.isFinite(max)) min = max = 0;

  const scale = max > min ? 255 / (max - min) : 0;
  const windowed = Buffer.alloc(samples.length);
  for (let index = 0; index < samples.length; index += 1) {
    // Clamped: resampling overshoots slightly beyond min..max at sharp edges.
    const value = ((samples[index] ?? min) - min) * scale;
    windowed[index] = value <= 0 ? 0 : value >= 255 ? 255 : Math.round(value);
  }
  const channels = info.channels;
  let encoder = sharp(windowed, { raw: { width: info.width, height: info.height, channels } });
  // Raw one-band input would otherwise be written as RGB, tripling the PNG for nothing.
  if (channels === 1) encoder = encoder.toColourspace("b-w");
  const png = await encoder.png().toBuffer();
  return { png, width: info.width, height: info.height, window: { min, max } };
}
