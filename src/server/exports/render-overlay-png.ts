/**
 * A stored analysis map as a coloured RGBA PNG, in the same colour maps the workspace canvas
 * uses for each layer (canvas/layers/*.tsx), so a shared page and an exported overlay look like
 * what the team sees. Stored maps stay 8-bit indices; colouring happens here on the way out.
 * When the image has a pixel size, a scale bar (the canvas's 1-2-5 rule, on the map's own pixel
 * grid) is burnt into the bottom-left corner.
 */
import sharp from "sharp";
import type { MapRole } from "~/server/analysis/analysis-maps";
import { colorize, type ColormapName, type ColorizeOptions } from "~/core/analysis/colormaps";
import { pictureScaleBar } from "~/core/objects/scale-bar-length";
import type { PixelSize } from "~/core/objects/units";
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

/** Where a map lies: how many original image pixels its width covers, and their size. */
export type OverlayScale = { pixelSize: PixelSize; coveredWidth: number };

export async function renderOverlayPng(options: {
  png: Buffer;
  role: MapRole;
  /** Cluster maps: their K. */
  k: number | null;
  /** The image's pixel size and the original width the map spans; null: no scale bar. */
  scale?: OverlayScale | null;
}): Promise<Buffer> {
  const { data, info } = await sharp(options.png).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  const samples = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const values = options.role === "clusters" && options.k !== null ? spreadLabels(samples, options.k) : samples;
  const colours = ROLE_COLOURS[options.role];
  const png = await (options.role === "grey"
    ? encodePng(values, info.width, info.height, 1)
    : encodePng(colorize(values, colours.colormap, colours.options), info.width, info.height, 4));
  const svg = options.scale ? scaleBarSvg(options.scale, info.width, info.height) : null;
  if (!svg) return png;
  return sharp(png)
    .composite([{ input: Buffer.from(svg), left: 0, top: 0 }])
    .png({ compressionLevel: 9 })
    .toBuffer();
}

const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * A bottom-left scale bar as an SVG the size of the map: a white bar with a dark outline and its
 * length ("10 µm") above it in white on a dark stroke. Null when the map is too small for one.
 */
export function scaleBarSvg(scale: OverlayScale, width: number, height: number): string | null {
  const bar = pictureScaleBar(scale.pixelSize, scale.coveredWidth, width);
  if (!bar) return null;
  const fontSize = Math.min(48, Math.max(9, Math.round(width * 0.03)));
  const barHeight = Math.max(3, Math.round(fontSize / 3));
  const margin = Math.max(4, Math.round(fontSize * 0.6));
  const barTop = height - margin - barHeight;
  const textBaseline = barTop - Math.max(2, Math.round(fontSize * 0.3));
  if (textBaseline - fontSize < 0 || margin + bar.lengthPx > width) return null;
  const outline = Math.max(1, Math.round(barHeight / 3));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">`,
    `<rect x="${margin}" y="${barTop}" width="${bar.lengthPx}" height="${barHeight}" fill="#ffffff" stroke="#111111" stroke-width="${outline}"/>`,
    `<text x="${margin}" y="${textBaseline}" font-family="DejaVu Sans, Arial, Helvetica, sans-serif" font-size="${fontSize}" font-weight="bold" fill="#ffffff" stroke="#111111" stroke-width="${Math.max(1, fontSize / 8)}" paint-order="stroke">${escapeXml(bar.text)}</text>`,
    `</svg>`,
  ].join("");
}
