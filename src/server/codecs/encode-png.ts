import sharp from "sharp";

/**
 * Encodes 8-bit interleaved samples as a lossless PNG: 1 channel = grey, 3 = RGB, 4 = RGBA.
 * Throws RangeError when the sizes and the data length disagree.
 */
export async function encodePng(
  data: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  channels: 1 | 3 | 4,
): Promise<Buffer> {
  if (!Number.isInteger(width) || width <= 0 || !Number.isInteger(height) || height <= 0) {
    throw new RangeError(`image dimensions must be positive integers, got ${width} x ${height}`);
  }
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new RangeError(`channels must be 1, 3 or 4, got ${String(channels)}`);
  }
  if (data.length !== width * height * channels) {
    throw new RangeError(`expected ${width * height * channels} samples, got ${data.length}`);
  }
  const image = sharp(Buffer.from(data.buffer, data.byteOffset, data.byteLength), {
    raw: { width, height, channels },
  });
  // Without an explicit colour space sharp would write a 1-channel image as RGB.
  return (channels === 1 ? image.toColourspace("b-w") : image).png({ compressionLevel: 6, palette: false }).toBuffer();
}
