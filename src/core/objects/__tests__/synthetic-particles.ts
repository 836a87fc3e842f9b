import type { GreyImage } from "../../analysis/raster";

/** Bright discs and ellipses, some touching, on a noisy gradient, from a seeded LCG. */
export function particles(width: number, height: number, count: number, seed: number): GreyImage {
  let s = seed >>> 0;
  const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = 40 + (i % width) / 20 + rand() * 30;
  for (let k = 0; k < count; k++) {
    const cx = rand() * width;
    const cy = rand() * height;
    const a = 3 + rand() * 12;
    const b = a * (0.4 + 0.6 * rand());
    for (let y = Math.max(0, Math.floor(cy - a)); y < Math.min(height, cy + a + 1); y++) {
      for (let x = Math.max(0, Math.floor(cx - a)); x < Math.min(width, cx + a + 1); x++) {
        if (((x - cx) / a) ** 2 + ((y - cy) / b) ** 2 <= 1) data[y * width + x] = 170 + rand() * 60;
      }
    }
  }
  return { width, height, data };
}
