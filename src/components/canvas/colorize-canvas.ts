import { colorize, type ColorizeOptions, type ColormapName } from "~/core/analysis/colormaps";
import type { GreyImage } from "~/core/analysis/raster";

/**
 * An 8-bit map coloured through THE colour-map module into a canvas Konva can draw. Opacity is
 * applied by the layer, not baked in, so the slider costs a redraw, not a recolouring.
 */
export function colorizeToCanvas(map: GreyImage, name: ColormapName, options: ColorizeOptions = {}): HTMLCanvasElement {
  const rgba = colorize(map.data, name, options);
  return rgbaToCanvas(rgba, map.width, map.height);
}

export function rgbaToCanvas(rgba: Uint8ClampedArray, width: number, height: number): HTMLCanvasElement {
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d");
  if (!context) throw new Error("2D canvas unavailable");
  const pixels = new ImageData(width, height);
  pixels.data.set(rgba);
  context.putImageData(pixels, 0, 0);
  return canvas;
}

/** Spreads labels 0..k-1 over a colour map's range (imshow with vmin 0, vmax k-1). */
export function labelsToIndex(labels: GreyImage, k: number): GreyImage {
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) lut[v] = k <= 1 ? 0 : Math.min(255, Math.floor((Math.min(v, k - 1) / (k - 1)) * 256));
  const data = new Uint8Array(labels.data.length);
  for (let i = 0; i < data.length; i++) data[i] = lut[labels.data[i]!]!;
  return { width: labels.width, height: labels.height, data };
}

/** The RGB colour (css) a label gets in `name` when spread as labelsToIndex does. */
export function labelColor(lut: Uint8Array, label: number, k: number): string {
  const index = k <= 1 ? 0 : Math.min(255, Math.floor((label / (k - 1)) * 256));
  return `rgb(${lut[index * 4]}, ${lut[index * 4 + 1]}, ${lut[index * 4 + 2]})`;
}
