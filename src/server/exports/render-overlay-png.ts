/**
 * A stored analysis map as a coloured RGBA PNG, in the same colour maps the workspace canvas
 * uses for each layer (canvas/layers/*.tsx), so a shared page and an exported overlay look like
 * what the team sees. Stored maps stay 8-bit indices; colouring happens here on the way out.
 */
import sharp from "sharp";
import type { MapRole } from "~/server/analysis/analysis-maps";
import { colorize, type ColormapName, type ColorizeOptions } from "~/core/analysis/colormaps";
import { encodePng } from "~/server/codecs/encode-png";

const ROLE_COLOURS: Record<MapRole, { colormap: ColormapName; options: ColorizeOptions }> = {
  grey: { colormap: "viridis", options: {} },
  segmentation: { colormap: "viridis", options: { transparentZero: true } },
  contrast: { colormap: "hot", options: {} },
  clusters: { colormap: "viridis", options: {} },
  cam: { colormap: "jet", options: {} },
};

/** Spreads cluster labels 0..k-1 over the colour map (as labelsToIndex in the canvas does). */
function spreadLabels(labels: Uint8Array, k: number): Uint8Array {
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) lut[v] = k <= 1 ? 0 : Math.min(255, Math.floor((Math.min(v, k - 1) / (k - 1)) * 256));
  const out = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) out[i] = lut[labels[i]!]!;
  return out;
}

export async function renderOverlayPng(options: {
  png: Buffer;
  role: MapRole;
  /** Cluster maps: their K. */
  k: number | null;
}): Promise<Buffer> {
  const { data, info } = await sharp(options.png).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  const samples = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const values = options.role === "clusters" && options.k !== null ? spreadLabels(samples, options.k) : samples;
  if (options.role === "grey") return encodePng(values, info.width, info.height, 1);
  const colours = ROLE_COLOURS[options.role];
  return encodePng(colorize(values, colours.colormap, colours.options), info.width, info.height, 4);
}
