/**
 * Pixel containers shared by the analysis core, the codecs layer, the job worker and the CLI.
 *
 * `Raster` is what a decoder hands over (any bit depth and channel layout the file had);
 * `GreyImage` is what every analysis stage works on (one 8-bit channel).
 */

/**
 * A decoded image: interleaved samples, row-major, top row first.
 * channels: 1 = grey, 2 = grey + alpha, 3 = RGB, 4 = RGBA.
 * `data` is a Uint8Array when `bitDepth` is 8 and a Uint16Array when it is 16.
 */
export type Raster = {
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  bitDepth: 8 | 16;
  data: Uint8Array | Uint16Array;
};

/** One 8-bit channel, row-major: the analysis image and every 8-bit map derived from it. */
export type GreyImage = {
  width: number;
  height: number;
  data: Uint8Array;
};

/** Throws RangeError unless `width` and `height` are positive integers. */
export function assertDimensions(width: number, height: number): void {
  if (!Number.isInteger(width) || width <= 0 || !Number.isInteger(height) || height <= 0) {
    throw new RangeError(`image dimensions must be positive integers, got ${width} x ${height}`);
  }
}

/** Throws TypeError/RangeError when the raster's fields disagree with each other. */
export function assertRaster(raster: Raster): void {
  assertDimensions(raster.width, raster.height);
  const { channels, bitDepth, data } = raster;
  if (channels !== 1 && channels !== 2 && channels !== 3 && channels !== 4) {
    throw new TypeError(`channels must be 1, 2, 3 or 4, got ${String(channels)}`);
  }
  if (bitDepth === 8) {
    if (!(data instanceof Uint8Array)) throw new TypeError("an 8-bit raster needs a Uint8Array");
  } else if (bitDepth === 16) {
    if (!(data instanceof Uint16Array)) throw new TypeError("a 16-bit raster needs a Uint16Array");
  } else {
    throw new TypeError(`bitDepth must be 8 or 16, got ${String(bitDepth)}`);
  }
  const expected = raster.width * raster.height * channels;
  if (data.length !== expected) {
    throw new RangeError(
      `raster data has ${data.length} samples, expected ${raster.width} x ${raster.height} x ${channels} = ${expected}`,
    );
  }
}

/** Throws TypeError/RangeError unless `image` is a well-formed 8-bit single-channel image. */
export function assertGreyImage(image: GreyImage): void {
  assertDimensions(image.width, image.height);
  if (!(image.data instanceof Uint8Array)) throw new TypeError("a grey image needs a Uint8Array");
  if (image.data.length !== image.width * image.height) {
    throw new RangeError(`grey image data has ${image.data.length} samples, expected ${image.width} x ${image.height}`);
  }
}
