import sharp from "sharp";
import { describe, expect, test } from "vitest";
import { decodeRaster, ImageDecodeError } from "~/server/codecs/decode-raster";
import { encodePng } from "~/server/codecs/encode-png";

// Tests of decode-raster.ts and encode-png.ts.

const png = (
  data: Uint8Array | Uint16Array,
  width: number,
  height: number,
  channels: 1 | 2 | 3 | 4,
): Promise<Buffer> => {
  const sixteen = data instanceof Uint16Array;
  const space = channels <= 2 ? (sixteen ? "grey16" : "b-w") : sixteen ? "rgb16" : "srgb";
  return sharp(data, { raw: { width, height, channels } }).toColourspace(space).png().toBuffer();
};

describe("decodeRaster", () => {
  test("keeps 8-bit grey, grey+alpha, RGB and RGBA as they are", async () => {
    const grey = await decodeRaster(await png(Uint8Array.from([1, 2, 3, 4, 5, 6]), 3, 2, 1));
    expect(grey).toMatchObject({ width: 3, height: 2, channels: 1, bitDepth: 8 });
    expect(Array.from(grey.data)).toEqual([1, 2, 3, 4, 5, 6]);

    const ga = await decodeRaster(await png(Uint8Array.from([10, 255, 20, 128, 30, 0]), 3, 1, 2));
    expect(ga.channels).toBe(2);
    expect(Array.from(ga.data)).toEqual([10, 255, 20, 128, 30, 0]);

    const rgb = await decodeRaster(await png(Uint8Array.from([1, 2, 3, 4, 5, 6]), 2, 1, 3));
    expect(rgb.channels).toBe(3);
    expect(Array.from(rgb.data)).toEqual([1, 2, 3, 4, 5, 6]);

    const rgba = await decodeRaster(await png(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]), 2, 1, 4));
    expect(rgba.channels).toBe(4);
    expect(Array.from(rgba.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  test("keeps 16-bit samples as a Uint16Array", async () => {
    const g16 = await decodeRaster(await png(Uint16Array.from([300, 1300, 40000, 65535]), 2, 2, 1));
    expect(g16).toMatchObject({ channels: 1, bitDepth: 16 });
    expect(g16.data).toBeInstanceOf(Uint16Array);
    expect(Array.from(g16.data)).toEqual([300, 1300, 40000, 65535]);

    const rgb16 = await decodeRaster(await png(Uint16Array.from([0, 3000, 65535]), 1, 1, 3));
    expect(rgb16).toMatchObject({ channels: 3, bitDepth: 16 });
    expect(Array.from(rgb16.data)).toEqual([0, 3000, 65535]);
  });

  test("bad input throws ImageDecodeError with a user-facing message", async () => {
    const good = await png(
      Uint8Array.from({ length: 200 * 200 * 3 }, (_, i) => (i * 7) % 251),
      200,
      200,
      3,
    );
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(0), /empty/],
      [Buffer.from("hello, not an image"), /not an image or unsupported format/],
      [good.subarray(0, good.length >> 1), /truncated or corrupt image/],
    ];
    for (const [bytes, message] of cases) {
      const error = await decodeRaster(bytes).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImageDecodeError);
      expect((error as Error).message).toMatch(message);
    }
    await expect(decodeRaster(good, { maxPixels: 100 })).rejects.toThrow(/too large/);
  });
});

describe("encodePng", () => {
  test("lossless round trip for 1, 3 and 4 channels", async () => {
    for (const channels of [1, 3, 4] as const) {
      const data = Uint8Array.from({ length: 5 * 3 * channels }, (_, i) => (i * 37) % 256);
      const decoded = await decodeRaster(await encodePng(data, 5, 3, channels));
      expect(decoded.channels).toBe(channels);
      expect(Array.from(decoded.data)).toEqual(Array.from(data));
    }
  });
  test("wrong sizes throw RangeError", async () => {
    await expect(encodePng(new Uint8Array(5), 2, 2, 1)).rejects.toThrow(RangeError);
  });
});

describe("decodeRaster on BMP (our own reader; the prebuilt sharp has none)", () => {
  test("decodes a 24-bit BMP to RGB with the right pixel values and row order", async () => {
    const { encodeBmp } = await import("./test-images");
    const width = 3;
    const height = 2;
    const rgb = new Uint8Array(width * height * 3).map((_, i) => (i * 17) % 256);
    const raster = await decodeRaster(encodeBmp({ width, height, rgb, bitsPerPixel: 24 }));
    expect([raster.width, raster.height, raster.channels, raster.bitDepth]).toEqual([3, 2, 3, 8]);
    expect(Array.from(raster.data)).toEqual(Array.from(rgb));
  });
});
