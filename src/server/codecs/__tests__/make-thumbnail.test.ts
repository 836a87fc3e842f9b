import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { makeThumbnail } from "../make-thumbnail";
import { ImageProbeError, probeImage } from "../probe-image";
import { deep16Samples, encodeBmp, encodeGreyTiff, jpegRgb, pngGrey16, pngRgb, redOverBlue } from "./test-images";

const limits = { maxBytes: 50 * 1024 * 1024, maxPixels: 40_000_000 };

async function thumbnailOf(bytes: Buffer) {
  const probe = await probeImage(bytes, limits);
  return makeThumbnail(bytes, probe, { maxPixels: limits.maxPixels });
}

describe("makeThumbnail", () => {
  it("fits an 8-bit image inside 256 px as an 8-bit PNG, keeping the aspect ratio", async () => {
    const thumbnail = await thumbnailOf(await pngRgb(1000, 500));
    const meta = await sharp(thumbnail.png).metadata();
    expect(meta).toMatchObject({ format: "png", width: 256, height: 128, depth: "uchar" });
    expect(thumbnail).toMatchObject({ width: 256, height: 128, window: null });
  });

  it("never enlarges a small image", async () => {
    const thumbnail = await thumbnailOf(await jpegRgb(100, 50));
    expect([thumbnail.width, thumbnail.height]).toEqual([100, 50]);
  });

  it("windows a 16-bit image with ~200 used levels to its own min..max, so it is visible", async () => {
    const samples = deep16Samples(600, 400, 1000, 200); // values 1000..1199 of 0..65535
    const tiff = encodeGreyTiff({ width: 600, height: 400, samples });
    const thumbnail = await thumbnailOf(tiff);
    expect(thumbnail.window).toEqual({ min: 1000, max: 1199 });

    const stats = await sharp(thumbnail.png).stats();
    const meta = await sharp(thumbnail.png).metadata();
    expect(meta).toMatchObject({ depth: "uchar", channels: 1, width: 256 });
    // A plain 16 -> 8 bit conversion would give only levels 3..4 (near black).
    expect(stats.channels[0]?.min).toBeLessThanOrEqual(10);
    expect(stats.channels[0]?.max).toBeGreaterThanOrEqual(245);
  });

  it("windows 16-bit PNGs the same way", async () => {
    const thumbnail = await thumbnailOf(await pngGrey16(deep16Samples(64, 64, 40_000, 50), 64, 64));
    expect(thumbnail.window).toEqual({ min: 40_000, max: 40_049 });
    const stats = await sharp(thumbnail.png).stats();
    expect(stats.channels[0]?.max).toBe(255);
    expect(stats.channels[0]?.min).toBe(0);
  });

  it("windows 32-bit float TIFFs over their own range (sharp's stats would truncate to 0..0)", async () => {
    const samples = new Float32Array(64 * 48);
    for (let index = 0; index < samples.length; index += 1) samples[index] = 0.25 + (index % 10) / 100;
    const thumbnail = await thumbnailOf(encodeGreyTiff({ width: 64, height: 48, samples }));
    expect(thumbnail.window?.min).toBeCloseTo(0.25, 5);
    expect(thumbnail.window?.max).toBeCloseTo(0.34, 5);
    const stats = await sharp(thumbnail.png).stats();
    expect([stats.channels[0]?.min, stats.channels[0]?.max]).toEqual([0, 255]);
  });

  it("keeps grey images grey (one channel), including grey-palette BMPs", async () => {
    const bmp = encodeBmp({ width: 10, height: 10, rgb: redOverBlue(10, 10), bitsPerPixel: 8 });
    const meta = await sharp((await thumbnailOf(bmp)).png).metadata();
    expect(meta.channels).toBe(1);
  });

  it("decodes BMP rows in the right order (bottom-up and top-down files)", async () => {
    for (const topDown of [false, true]) {
      const bmp = encodeBmp({ width: 10, height: 10, rgb: redOverBlue(10, 10), bitsPerPixel: 24, topDown });
      const thumbnail = await thumbnailOf(bmp);
      const { data } = await sharp(thumbnail.png).raw().toBuffer({ resolveWithObject: true });
      const pixel = (x: number, y: number) => [...data.subarray((y * 10 + x) * 3, (y * 10 + x) * 3 + 3)];
      expect(pixel(5, 1)).toEqual([255, 0, 0]);
      expect(pixel(5, 8)).toEqual([0, 0, 255]);
    }
  });

  it("refuses truncated data that the header-only probe let through", async () => {
    const png = await pngRgb(300, 300, 4);
    const truncated = png.subarray(0, Math.floor(png.length / 2));
    const probe = await probeImage(truncated, limits);
    const error = await makeThumbnail(truncated, probe, { maxPixels: limits.maxPixels }).catch(
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ImageProbeError);
    expect((error as ImageProbeError).message).toBe("The image is truncated or corrupt and could not be read.");
  });
});
