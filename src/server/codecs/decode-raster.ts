import sharp from "sharp";
import type { Raster } from "~/core/analysis/raster";
import { assertDecodedBytesLimit, ImageProbeError, openFirstPage, sniffImageFormat } from "./probe-image";

/** Why an upload could not be decoded; `message` is meant for the user. */
export class ImageDecodeError extends Error {
  override readonly name = "ImageDecodeError";
  constructor(
    message: string,
    /** "unsupported": not an image sharp can read; "corrupt": truncated or damaged; "too-large". */
    readonly reason: "unsupported" | "corrupt" | "too-large" | "empty",
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Options of {@link decodeRaster}. */
export type DecodeRasterOptions = {
  /**
   * Refuse images with more pixels than this (decompression-bomb guard).
   * @default 268402689 (sharp's default limit, 0x3FFF x 0x3FFF)
   */
  maxPixels?: number;
  /**
   * Refuse images whose decoded first page would take more bytes than this (width x height x
   * channels x bytes per sample, from the header, before any pixel is decoded).
   * @default no limit beyond maxPixels
   */
  maxDecodedBytes?: number;
};

function classify(error: unknown): ImageDecodeError {
  const text = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(text)) {
    return new ImageDecodeError("image too large", "too-large", { cause: error });
  }
  if (/unsupported image format|bad seek|not a known file format|empty/i.test(text)) {
    return new ImageDecodeError("not an image or unsupported format", "unsupported", { cause: error });
  }
  return new ImageDecodeError("truncated or corrupt image", "corrupt", { cause: error });
}

/**
 * Decodes an uploaded file into a {@link Raster}, keeping what the file holds:
 * - the first page of multi-page files (TIFF stacks, animated images);
 * - 16-bit samples as a Uint16Array (bitDepth 16), 8-bit as a Uint8Array;
 * - its channels: grey (1), grey + alpha (2), RGB (3) or RGBA (4); palette images become RGB(A),
 *   CMYK and other colour spaces become sRGB;
 * - EXIF orientation applied, as cv2.imread does in the reference.
 * Throws {@link ImageDecodeError} for anything that is not a readable image.
 */
export async function decodeRaster(bytes: Buffer | Uint8Array, options: DecodeRasterOptions = {}): Promise<Raster> {
  if (bytes.length === 0) throw new ImageDecodeError("empty file", "empty");
  const input = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sharpOptions = {
    page: 0,
    pages: 1,
    limitInputPixels: options.maxPixels ?? 0x3fff * 0x3fff,
    // "truncated" rejects cut-off files but, like cv2.imread, tolerates harmless warnings.
    failOn: "truncated" as const,
  };
  // The prebuilt sharp has no BMP loader: BMP pixels come from our own reader (probe-image.ts).
  const isBmp = sniffImageFormat(input) === "bmp";
  const open = () =>
    isBmp
      ? openFirstPage(input, {
          format: "bmp",
          maxPixels: sharpOptions.limitInputPixels,
          maxDecodedBytes: options.maxDecodedBytes,
        })
      : sharp(input, sharpOptions);
  try {
    const meta = await open().metadata();
    const sixteen = meta.depth === "ushort" || meta.depth === "short";
    const inputChannels = meta.channels ?? 3;
    const grey = meta.space === "b-w" || meta.space === "grey16" || inputChannels <= 2;
    const hasAlpha = meta.hasAlpha === true;
    if (!isBmp && meta.width && meta.height) {
      // Grey + alpha passes through sharp as 4 channels (see below), so it counts as 4.
      const channels = grey ? (hasAlpha ? 4 : 1) : hasAlpha ? 4 : 3;
      assertDecodedBytesLimit(meta.width, meta.height, channels * (sixteen ? 2 : 1), options.maxDecodedBytes);
    }

    let pipeline = open().autoOrient();
    // sharp outputs sRGB unless told otherwise; ask for the file's own layout.
    if (grey && sixteen) pipeline = pipeline.toColourspace("grey16");
    else if (grey && !hasAlpha) pipeline = pipeline.toColourspace("b-w");
    else if (sixteen) pipeline = pipeline.toColourspace("rgb16");
    else pipeline = pipeline.toColourspace("srgb");
    const { data, info } = await (sixteen ? pipeline.raw({ depth: "ushort" }) : pipeline.raw()).toBuffer({
      resolveWithObject: true,
    });
    const { width, height } = info;
    let channels = info.channels as number;
    let samples: Uint8Array | Uint16Array = sixteen
      ? new Uint16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength))
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

    // 8-bit grey + alpha comes out of sharp as sRGB + alpha (g, g, g, a): keep g and a.
    if (grey && hasAlpha && channels === 4) {
      const pixels = width * height;
      const ga = sixteen ? new Uint16Array(pixels * 2) : new Uint8Array(pixels * 2);
      for (let i = 0; i < pixels; i++) {
        ga[i * 2] = samples[i * 4]!;
        ga[i * 2 + 1] = samples[i * 4 + 3]!;
      }
      samples = ga;
      channels = 2;
    }
    if (channels < 1 || channels > 4) {
      throw new ImageDecodeError(`unsupported number of channels (${channels})`, "unsupported");
    }
    if (samples.length !== width * height * channels) {
      throw new ImageDecodeError("truncated or corrupt image", "corrupt");
    }
    return {
      width,
      height,
      channels: channels as 1 | 2 | 3 | 4,
      bitDepth: sixteen ? 16 : 8,
      data: samples,
    };
  } catch (error) {
    if (error instanceof ImageDecodeError) throw error;
    if (error instanceof ImageProbeError) {
      const reason =
        error.reason === "CORRUPT" ? "corrupt" : error.reason === "TOO_MANY_PIXELS" ? "too-large" : "unsupported";
      throw new ImageDecodeError(error.message, reason, { cause: error });
    }
    throw classify(error);
  }
}
