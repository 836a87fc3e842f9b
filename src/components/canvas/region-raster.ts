/**
 * Brush and mask regions drawn into an offscreen canvas (erase strokes really remove paint, which
 * a stack of Konva lines could not do without a cached group per region). Cached per geometry
 * value: geometries are immutable, so a new value is the only thing that needs a new raster.
 */
import type { BrushGeometry, MaskGeometry } from "~/core/regions/region-geometry";
import type { Size } from "./camera";
import { maskPixels } from "./geometry-ops";

/** Longest side of a brush raster: enough detail for display, bounded memory for big images. */
const MAX_RASTER_SIDE = 2048;

const cache = new WeakMap<object, { color: string; canvas: HTMLCanvasElement }>();

export function brushRaster(geometry: BrushGeometry, imageSize: Size, color: string): HTMLCanvasElement {
  const cached = cache.get(geometry);
  if (cached && cached.color === color) return cached.canvas;
  const scale = Math.min(1, MAX_RASTER_SIDE / Math.max(imageSize.width, imageSize.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(imageSize.width * scale));
  canvas.height = Math.max(1, Math.round(imageSize.height * scale));
  const context = canvas.getContext("2d");
  if (!context) return canvas;
  context.scale(scale, scale);
  context.lineCap = "round";
  context.lineJoin = "round";
  for (const stroke of geometry.strokes) {
    context.globalCompositeOperation = stroke.mode === "erase" ? "destination-out" : "source-over";
    context.strokeStyle = color;
    context.fillStyle = color;
    context.lineWidth = stroke.size;
    const [first, ...rest] = stroke.points;
    if (!first) continue;
    context.beginPath();
    if (rest.length === 0) {
      context.arc(first[0], first[1], stroke.size / 2, 0, Math.PI * 2);
      context.fill();
      continue;
    }
    context.moveTo(first[0], first[1]);
    for (const [x, y] of rest) context.lineTo(x, y);
    context.stroke();
  }
  cache.set(geometry, { color, canvas });
  return canvas;
}

export function maskRaster(geometry: MaskGeometry, color: string): HTMLCanvasElement {
  const cached = cache.get(geometry);
  if (cached && cached.color === color) return cached.canvas;
  const canvas = document.createElement("canvas");
  canvas.width = geometry.gridWidth;
  canvas.height = geometry.gridHeight;
  const context = canvas.getContext("2d");
  if (!context) return canvas;
  const [r, g, b] = hexToRgb(color);
  const pixels = context.createImageData(canvas.width, canvas.height);
  const mask = maskPixels(geometry);
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] === 0) continue;
    pixels.data[i * 4] = r;
    pixels.data[i * 4 + 1] = g;
    pixels.data[i * 4 + 2] = b;
    pixels.data[i * 4 + 3] = 255;
  }
  context.putImageData(pixels, 0, 0);
  cache.set(geometry, { color, canvas });
  return canvas;
}

export function hexToRgb(hex: string): [number, number, number] {
  const match = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) return [255, 200, 0];
  return [parseInt(match[1]!, 16), parseInt(match[2]!, 16), parseInt(match[3]!, 16)];
}
