/**
 * The analysed area of an image: the rectangle, in pixels of the original image, that
 * measurements cover. It leaves out an instrument data bar (FEI/Thermo, Zeiss: a band at the
 * bottom with the acquisition facts) or anything else a person crops away. null = the whole image.
 *
 * Maps computed at another resolution (the analysis image, a capped object grey image) use
 * {@link scaleAnalysedArea}; cropping a grey image or a plane goes through {@link cropGreyImage}
 * and {@link cropPlane}, and a cropped plane goes back to full size with {@link uncropPlane}.
 */
import { z } from "zod";
import type { GreyImage } from "../analysis/raster";

export type AnalysedArea = {
  /** Left edge, px. */
  x: number;
  /** Top edge, px. */
  y: number;
  width: number;
  height: number;
};

const coordinate = (name: string) =>
  z
    .number({ error: `${name} must be a number` })
    .int(`${name} must be a whole number of pixels`)
    .min(0, `${name} must be 0 or more`);
const extent = (name: string) =>
  z
    .number({ error: `${name} must be a number` })
    .int(`${name} must be a whole number of pixels`)
    .min(1, `${name} must be at least 1 pixel`);

/** An analysed area on its own (the image size is checked by {@link analysedAreaInImageSchema}). */
export const analysedAreaSchema = z.object({
  x: coordinate("x"),
  y: coordinate("y"),
  width: extent("width"),
  height: extent("height"),
});

/** Where an image's analysed area came from. */
export const ANALYSED_AREA_SOURCES = ["metadata", "detected", "manual"] as const;
export type AnalysedAreaSource = (typeof ANALYSED_AREA_SOURCES)[number];

/** An image's analysed area as stored (Image.analysedArea): the rectangle and its origin. */
export type AnalysedAreaRecord = AnalysedArea & { source: AnalysedAreaSource };

export const analysedAreaRecordSchema = analysedAreaSchema.extend({ source: z.enum(ANALYSED_AREA_SOURCES) });

/** The stored JSON read back: a record, or null for the whole image (or anything malformed). */
export function parseAnalysedAreaRecord(value: unknown): AnalysedAreaRecord | null {
  const parsed = analysedAreaRecordSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** Messages for an area that does not fit its image, written for the person who typed it. */
export function analysedAreaProblems(area: AnalysedArea, image: { width: number; height: number }): string[] {
  const problems: string[] = [];
  if (area.x + area.width > image.width) {
    problems.push(
      `x + width = ${area.x + area.width} goes past the image's right edge (the image is ${image.width} px wide)`,
    );
  }
  if (area.y + area.height > image.height) {
    problems.push(
      `y + height = ${area.y + area.height} goes past the image's bottom edge (the image is ${image.height} px tall)`,
    );
  }
  return problems;
}

/** An analysed area that must lie inside a `width x height` image. */
export function analysedAreaInImageSchema(image: { width: number; height: number }) {
  return analysedAreaSchema.superRefine((area, context) => {
    for (const message of analysedAreaProblems(area, image)) context.addIssue({ code: "custom", message });
  });
}

/** True when `area` covers the whole `width x height` image (then null says the same). */
export function coversWholeImage(area: AnalysedArea, image: { width: number; height: number }): boolean {
  return area.x === 0 && area.y === 0 && area.width === image.width && area.height === image.height;
}

/** The area above a data bar of `barRows` rows; null when there is no bar. */
export function areaAboveDataBar(image: { width: number; height: number }, barRows: number): AnalysedArea | null {
  if (barRows <= 0 || barRows >= image.height) return null;
  return { x: 0, y: 0, width: image.width, height: image.height - barRows };
}

/**
 * `area` (px of a `from` image) in px of the same image resampled to `to`: edges are scaled and
 * rounded inwards-or-nearest so the result stays inside `to` and keeps at least 1 px.
 */
export function scaleAnalysedArea(
  area: AnalysedArea,
  from: { width: number; height: number },
  to: { width: number; height: number },
): AnalysedArea {
  if (from.width === to.width && from.height === to.height) return { ...area };
  const scaleEdges = (start: number, length: number, fromSize: number, toSize: number) => {
    const begin = Math.min(toSize - 1, Math.round((start * toSize) / fromSize));
    const end = Math.max(begin + 1, Math.min(toSize, Math.round(((start + length) * toSize) / fromSize)));
    return [begin, end - begin] as const;
  };
  const [x, width] = scaleEdges(area.x, area.width, from.width, to.width);
  const [y, height] = scaleEdges(area.y, area.height, from.height, to.height);
  return { x, y, width, height };
}

function assertInside(area: AnalysedArea, width: number, height: number): void {
  const parsed = analysedAreaInImageSchema({ width, height }).safeParse(area);
  if (!parsed.success) {
    throw new RangeError(`analysed area outside the ${width} x ${height} image: ${parsed.error.issues[0]?.message}`);
  }
}

/** The part of a row-major plane (any typed array) inside `area`. */
export function cropPlane<T extends Uint8Array | Int32Array | Float32Array>(
  plane: T,
  width: number,
  height: number,
  area: AnalysedArea,
): T {
  assertInside(area, width, height);
  if (plane.length !== width * height) {
    throw new RangeError(`plane has ${plane.length} samples, expected ${width} x ${height}`);
  }
  const out = new (plane.constructor as new (length: number) => T)(area.width * area.height);
  for (let row = 0; row < area.height; row += 1) {
    const start = (area.y + row) * width + area.x;
    out.set(plane.subarray(start, start + area.width), row * area.width);
  }
  return out;
}

/** A cropped plane put back at its place in a `width x height` plane of zeros. */
export function uncropPlane<T extends Uint8Array | Int32Array | Float32Array>(
  cropped: T,
  area: AnalysedArea,
  width: number,
  height: number,
): T {
  assertInside(area, width, height);
  if (cropped.length !== area.width * area.height) {
    throw new RangeError(`cropped plane has ${cropped.length} samples, expected ${area.width} x ${area.height}`);
  }
  const out = new (cropped.constructor as new (length: number) => T)(width * height);
  for (let row = 0; row < area.height; row += 1) {
    out.set(cropped.subarray(row * area.width, (row + 1) * area.width), (area.y + row) * width + area.x);
  }
  return out;
}

/** The part of a grey image inside `area` (a copy). */
export function cropGreyImage(grey: GreyImage, area: AnalysedArea): GreyImage {
  return { width: area.width, height: area.height, data: cropPlane(grey.data, grey.width, grey.height, area) };
}
