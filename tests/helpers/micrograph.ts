import sharp from "sharp";

/**
 * A grey micrograph-like PNG: bright round particles on a horizontal gradient, with seeded noise.
 * Different for every `index`; the same index and options always give the same bytes. The
 * defaults are the small test image (128 x 128, six particles); benches ask for larger ones.
 */
export async function micrographPng(
  index: number,
  { width = 128, height = 128, particles = 6, minRadius = 6, maxRadius = 20 } = {},
): Promise<Buffer> {
  let state = (index + 1) * 2654435761;
  const random = () => {
    state = (state * 1103515245 + 12345) >>> 0;
    return state / 2 ** 32;
  };
  const centres = Array.from(
    { length: particles },
    () => [random() * width, random() * height, minRadius + random() * (maxRadius - minRadius)] as const,
  );
  const level = new Float64Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) level[y * width + x] = 40 + (x * 60) / width;
  // Only the pixels near a particle can be inside it (large images have many pixels).
  for (const [cx, cy, r] of centres) {
    for (let y = Math.max(0, Math.floor(cy - r)); y < Math.min(height, cy + r); y++) {
      for (let x = Math.max(0, Math.floor(cx - r)); x < Math.min(width, cx + r); x++) {
        if ((x - cx) ** 2 + (y - cy) ** 2 < r * r) level[y * width + x]! += 120;
      }
    }
  }
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) {
    data[i] = Math.max(0, Math.min(255, Math.round(level[i]! + (random() - 0.5) * 30)));
  }
  return sharp(Buffer.from(data), { raw: { width, height, channels: 1 } })
    .png()
    .toBuffer();
}

/**
 * `png` (a grey micrograph) with its bottom `barRows` rows replaced by an instrument-like data bar:
 * white, with dark "text" blocks laid out by `seed` (two seeds: two bars, same image above them).
 */
export async function withDataBar(png: Buffer, barRows: number, seed: number): Promise<Buffer> {
  const { data, info } = await sharp(png).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  for (let y = height - barRows; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const text =
        y > height - barRows * 0.7 && y < height - barRows * 0.25 && Math.floor((x + seed * 37) / 23) % 3 === 0;
      data[y * width + x] = text ? 10 : 245;
    }
  }
  return sharp(data, { raw: { width, height, channels: 1 } })
    .png()
    .toBuffer();
}
