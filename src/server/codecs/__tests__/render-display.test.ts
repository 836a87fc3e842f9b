/** The display rendition (render-display.ts): bounded long side, windowed like the thumbnails. */
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { makeThumbnail } from "../make-thumbnail";
import { probeImage } from "../probe-image";
import { renderDisplay } from "../render-display";

const LIMITS = { maxBytes: 1e9, maxPixels: 1e9 };

async function grey16Png(width: number, height: number): Promise<Buffer> {
  const samples = new Uint16Array(width * height);
  for (let i = 0; i < samples.length; i++) samples[i] = 1000 + ((i * 37) % 500);
  return sharp(Buffer.from(samples.buffer), { raw: { width, height, channels: 1 } })
    .toColourspace("grey16")
    .png()
    .toBuffer();
}

describe("renderDisplay", () => {
  it("windows a 16-bit image to 8 bits as the thumbnails do (within rounding)", async () => {
    const png = await grey16Png(300, 200);
    const probe = await probeImage(png, LIMITS);
    const display = await renderDisplay(png, probe, { maxPixels: 1e9, maxSide: 8192 });
    const thumbnail = await makeThumbnail(png, probe, { maxPixels: 1e9, maxSide: 300 });
    const a = await sharp(display.png).raw().toBuffer({ resolveWithObject: true });
    const b = await sharp(thumbnail.png).raw().toBuffer({ resolveWithObject: true });
    expect([display.width, display.height]).toEqual([300, 200]);
    expect(a.info).toEqual(b.info);
    let worst = 0;
    for (let i = 0; i < a.data.length; i++) worst = Math.max(worst, Math.abs(a.data[i]! - b.data[i]!));
    expect(worst).toBeLessThanOrEqual(1);
    expect((await sharp(display.png).metadata()).depth).toBe("uchar");
  });

  it("downscales a bigger image to maxSide on its long side, keeping its shape", async () => {
    const png = await grey16Png(600, 300);
    const probe = await probeImage(png, LIMITS);
    const display = await renderDisplay(png, probe, { maxPixels: 1e9, maxSide: 256 });
    expect([display.width, display.height]).toEqual([256, 128]);
    const meta = await sharp(display.png).metadata();
    expect([meta.width, meta.height]).toEqual([256, 128]);
  });
});
