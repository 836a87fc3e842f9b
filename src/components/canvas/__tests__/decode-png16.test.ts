/**
 * The browser's reading of the samples route: the server's 16-bit PNG (renderSamples16) decodes
 * to the stored 16-bit values, every PNG row filter included.
 */
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { probeImage } from "~/server/codecs/probe-image";
import { renderSamples16 } from "~/server/codecs/render-display";
import { encodeTiff16 } from "../../../../tests/helpers/tiff16";
import { decodePng16 } from "../decode-png16";

const LIMITS = { maxBytes: 1e9, maxPixels: 1e9 };

describe("decodePng16", () => {
  it("reads back the exact values of a 16-bit TIFF through the samples rendition", async () => {
    const width = 37;
    const height = 23;
    const data = new Uint16Array(width * height);
    // Smooth ramps and noise, so the encoder picks several row filters.
    for (let i = 0; i < data.length; i++) data[i] = (i % 3 === 0 ? 40000 : 1000) + ((i * 7919) % 20000);
    const tiff = encodeTiff16([{ width, height, data }]);
    const rendition = await renderSamples16(tiff, await probeImage(tiff, LIMITS), { maxPixels: 1e9, maxSide: 8192 });
    const decoded = await decodePng16(new Uint8Array(rendition.png));
    expect(decoded).toMatchObject({ width, height, channels: 1 });
    expect(Array.from(decoded.data)).toEqual(Array.from(data));
  });

  it("refuses PNGs that are not 16-bit", async () => {
    const eight = await sharp({ create: { width: 2, height: 2, channels: 3, background: "#123456" } })
      .png()
      .toBuffer();
    await expect(decodePng16(new Uint8Array(eight))).rejects.toThrow(/Unsupported PNG/);
  });

  it("downscales a big image to the display's size, keeping stored values (nearest pixel)", async () => {
    const data = new Uint16Array(600 * 300);
    for (let i = 0; i < data.length; i++) data[i] = i % 2 === 0 ? 12345 : 54321;
    const tiff = encodeTiff16([{ width: 600, height: 300, data }]);
    const rendition = await renderSamples16(tiff, await probeImage(tiff, LIMITS), { maxPixels: 1e9, maxSide: 256 });
    const decoded = await decodePng16(new Uint8Array(rendition.png));
    expect([decoded.width, decoded.height]).toEqual([256, 128]);
    expect([...new Set(decoded.data)].every((value) => value === 12345 || value === 54321)).toBe(true);
  });
});
