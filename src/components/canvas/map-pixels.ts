/**
 * Loads the 8-bit single-channel PNG maps of an analysis into GreyImages in the browser, once per
 * URL (maps are immutable). Colour management is switched off so the bytes are the stored values.
 */
import type { GreyImage } from "~/core/analysis/raster";
import { cachedLoad } from "./cached-load";

export const loadGreyMap: (url: string) => Promise<GreyImage> = cachedLoad(fetchGreyMap);

async function fetchGreyMap(url: string): Promise<GreyImage> {
  const { width, height, rgba } = await fetchPngPixels(url, url);
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = rgba[i * 4]!;
  return { width, height, data };
}

/**
 * The RGBA bytes of the PNG at `url`, exactly as stored (no colour management, no premultiplied
 * alpha). `what` names it in the error when the request fails.
 */
export async function fetchPngPixels(
  url: string,
  what: string,
): Promise<{ width: number; height: number; rgba: Uint8ClampedArray }> {
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`Could not load ${what} (HTTP ${response.status})`);
  const bitmap = await createImageBitmap(await response.blob(), {
    colorSpaceConversion: "none",
    premultiplyAlpha: "none",
  });
  const canvas = document.createElement("canvas");
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const context = canvas.getContext("2d", { willReadFrequently: true });
  if (!context) throw new Error("2D canvas unavailable");
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  return {
    width: canvas.width,
    height: canvas.height,
    rgba: context.getImageData(0, 0, canvas.width, canvas.height).data,
  };
}

/** Value of a map at an image point, given the rectangle (image pixels) the map covers. */
export function sampleMap(
  map: GreyImage,
  rect: { x: number; y: number; width: number; height: number },
  x: number,
  y: number,
): number | null {
  const mx = Math.floor(((x - rect.x) / rect.width) * map.width);
  const my = Math.floor(((y - rect.y) / rect.height) * map.height);
  if (mx < 0 || my < 0 || mx >= map.width || my >= map.height) return null;
  return map.data[my * map.width + mx]!;
}
