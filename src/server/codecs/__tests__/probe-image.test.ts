import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { rejectionOf } from "../../../../tests/helpers/rejection";
import { IMAGE_ERROR_MESSAGE, ImageProbeError, probeImage } from "../probe-image";
import {
  FEI_TEXT,
  deep16Samples,
  encodeBmp,
  encodeGreyTiff,
  jpegRgb,
  multiPageTiff,
  pngDeclaring,
  pngGrey16,
  pngRgb,
  redOverBlue,
  tiffGrey8,
} from "./test-images";

const limits = { maxBytes: 10 * 1024 * 1024, maxPixels: 40_000_000 };

function rejection(bytes: Buffer, options = limits): Promise<ImageProbeError> {
  return rejectionOf(probeImage(bytes, options), ImageProbeError);
}

describe("probeImage: what an upload is", () => {
  it("reads an 8-bit RGB PNG", async () => {
    const probe = await probeImage(await pngRgb(40, 30), limits);
    expect(probe).toMatchObject({
      format: "png",
      width: 40,
      height: 30,
      bitDepth: 8,
      channels: 3,
      pageCount: 1,
      pixelSizeUm: null,
    });
  });

  it("reads a 16-bit grey PNG as 16 bits, 1 channel", async () => {
    const probe = await probeImage(await pngGrey16(deep16Samples(20, 10, 1000, 200), 20, 10), limits);
    expect(probe).toMatchObject({ format: "png", bitDepth: 16, channels: 1 });
  });

  it("reads a JPEG", async () => {
    const probe = await probeImage(await jpegRgb(33, 17), limits);
    expect(probe).toMatchObject({ format: "jpeg", width: 33, height: 17, bitDepth: 8, channels: 3 });
  });

  it("reads an 8-bit TIFF", async () => {
    const probe = await probeImage(await tiffGrey8(25, 15), limits);
    expect(probe).toMatchObject({ format: "tiff", width: 25, height: 15, bitDepth: 8, channels: 1 });
  });

  it("reads a 16-bit TIFF with an FEI text tag: pixel size in µm and instrument facts", async () => {
    const tiff = encodeGreyTiff({
      width: 24,
      height: 16,
      samples: deep16Samples(24, 16, 30_000, 200),
      // Real FEI files do not NUL-terminate the tag (libtiff warns; we must still accept).
      textTags: [{ tag: 34682, text: FEI_TEXT, nulTerminated: false }],
      resolution: { pixelsPerUnit: 56, unit: 3 },
    });
    const probe = await probeImage(tiff, limits);
    expect(probe).toMatchObject({ format: "tiff", bitDepth: 16, channels: 1, pixelSizeUm: 0.134896 });
    expect(probe.metadata.pixelSizeSource).toBe("FEI tag 34682 [Scan] PixelWidth");
    expect(probe.metadata.instrument).toMatchObject({
      model: "Quanta FEG",
      acceleratingVoltageKv: 5,
      workingDistanceMm: 11.365,
      horizontalFieldWidthUm: 207.2,
      detector: "ETD",
    });
  });

  it("reports every page of a multi-page TIFF and marks it first-page-only", async () => {
    const probe = await probeImage(await multiPageTiff(20, 10, 3), limits);
    expect(probe.pageCount).toBe(3);
    expect(probe.metadata.firstPageOnly).toBe(true);
    expect(probe).toMatchObject({ width: 20, height: 10 });
  });

  it("reads 24-bit and 8-bit grey-palette BMPs (which sharp cannot)", async () => {
    const rgb = redOverBlue(9, 6);
    const colour = await probeImage(encodeBmp({ width: 9, height: 6, rgb, bitsPerPixel: 24 }), limits);
    expect(colour).toMatchObject({ format: "bmp", width: 9, height: 6, bitDepth: 8, channels: 3 });
    const grey = await probeImage(encodeBmp({ width: 9, height: 6, rgb, bitsPerPixel: 8 }), limits);
    expect(grey).toMatchObject({ format: "bmp", channels: 1 });
  });

  it.skipIf(!existsSync("/work/shared/data/li_sem_ucsd/raw_tiff_samples/plated_6mAh_1cycle_Image1.tif"))(
    "reads the real 16-bit FEI Quanta TIFF sample",
    async () => {
      const bytes = readFileSync("/work/shared/data/li_sem_ucsd/raw_tiff_samples/plated_6mAh_1cycle_Image1.tif");
      const probe = await probeImage(bytes, limits);
      expect(probe).toMatchObject({
        width: 1536,
        height: 1103,
        bitDepth: 16,
        channels: 1,
        pixelSizeUm: 0.134896,
      });
      expect(probe.metadata.instrument?.imageHeightPx).toBe(1024); // rows 1024-1102: the data bar
      // The condition tags' sources: 5 kV, 1000x (MagCanvasRealWidth / HFW), WD 11.365 mm, ETD.
      expect(probe.metadata.instrument).toMatchObject({
        acceleratingVoltageKv: 5,
        magnification: 1000,
        workingDistanceMm: 11.365,
        detector: "ETD",
      });
    },
  );
});

describe("probeImage: what it refuses", () => {
  it("refuses 0 bytes", async () => {
    const error = await rejection(Buffer.alloc(0));
    expect(error.reason).toBe("EMPTY");
    expect(error.message).toBe("The file is empty (0 bytes).");
  });

  it("refuses a file over the size limit before looking inside", async () => {
    const png = await pngRgb(40, 30);
    const error = await rejection(png, { ...limits, maxBytes: 100 });
    expect(error.reason).toBe("TOO_LARGE");
    expect(error.message).toBe(`The file is ${png.length} bytes; the limit is 100 bytes per file.`);
    const big = Buffer.alloc(3 * 1024 * 1024 + 512 * 1024);
    expect((await rejection(big, { ...limits, maxBytes: 1024 * 1024 })).message).toBe(
      "The file is 3.5 MiB; the limit is 1 MiB per file.",
    );
  });

  it("refuses text, GIF and a PNG signature followed by garbage", async () => {
    expect((await rejection(Buffer.from("hello, not an image"))).message).toBe(
      "Not a supported image: expected PNG, JPEG, TIFF or BMP.",
    );
    expect((await rejection(Buffer.from("GIF89a\x01\x00\x01\x00", "latin1"))).reason).toBe("UNSUPPORTED_FORMAT");
    const garbage = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(40, 7)]);
    const error = await rejection(garbage);
    expect(error.reason).toBe("CORRUPT");
    expect(error.message).toBe("The image is truncated or corrupt and could not be read.");
  });

  it("refuses a decompression bomb from its declared dimensions, without decoding it", async () => {
    // The IDAT still holds 8×8 pixels: decoding would fail as "corrupt". Getting the pixel-limit
    // answer proves the check ran on the header alone.
    const error = await rejection(await pngDeclaring(50_000, 50_000));
    expect(error.reason).toBe("TOO_MANY_PIXELS");
    expect(error.message).toBe(
      "The image declares 50000 × 50000 pixels (2500 megapixels); the limit is 40 megapixels.",
    );
  });

  it("applies the pixel limit to BMP headers too", async () => {
    const bmp = encodeBmp({ width: 100, height: 100, rgb: redOverBlue(100, 100), bitsPerPixel: 24 });
    const error = await rejection(bmp, { ...limits, maxPixels: 9_999 });
    expect(error.message).toBe(IMAGE_ERROR_MESSAGE.tooManyPixels(100, 100, 9_999));
  });

  it("refuses RLE-compressed and truncated BMPs with their own messages", async () => {
    const rgb = redOverBlue(8, 8);
    const rle = encodeBmp({ width: 8, height: 8, rgb, bitsPerPixel: 8, compression: 1 });
    expect((await rejection(rle)).message).toBe(
      "This BMP uses RLE8 compression, which is not supported; save it uncompressed, or as PNG or TIFF.",
    );
    const whole = encodeBmp({ width: 8, height: 8, rgb, bitsPerPixel: 24 });
    expect((await rejection(whole.subarray(0, whole.length - 10))).reason).toBe("CORRUPT");
  });
});
