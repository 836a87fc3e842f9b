import type { LengthUnit, PixelSize } from "~/core/objects/units";

export const SCALE_UNITS: readonly LengthUnit[] = ["nm", "µm", "mm"];

/**
 * ImageJ's Set Scale: a line of `pixels` image pixels is `length` `unit` long, so one pixel is
 * length / pixels. Returns the pixel size or a message saying what to fix.
 */
export function pixelSizeFromLine(
  length: string,
  unit: LengthUnit,
  pixels: number,
): { pixelSize: PixelSize } | { error: string } {
  const text = length.trim().replace(",", ".");
  if (text === "") return { error: "Enter the known length of the line." };
  const value = Number(text);
  if (!Number.isFinite(value)) return { error: `"${length}" is not a number.` };
  if (value <= 0) return { error: "The length must be greater than 0." };
  if (!(pixels >= 1)) return { error: "The line is too short: draw it along the whole scale bar." };
  return { pixelSize: { value: value / pixels, unit } };
}

/** Length of a line in image pixels. */
export function lineLength(line: { from: readonly number[]; to: readonly number[] }): number {
  return Math.hypot(line.to[0]! - line.from[0]!, line.to[1]! - line.from[1]!);
}
