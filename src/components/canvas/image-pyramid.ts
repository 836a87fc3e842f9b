/**
 * The displayed image at a few resolutions (full, 1/2, 1/4, ... down to ~512 px). Drawing a
 * 4096 x 4096 bitmap scaled down to a 900 px pane on every pan frame costs far more than drawing
 * a level close to the screen size, so the viewer picks the smallest level that still has at
 * least one source pixel per screen pixel.
 */
import { cachedLoad } from "./cached-load";

export type PyramidLevel = { width: number; height: number; source: CanvasImageSource };
export type ImagePyramid = { width: number; height: number; levels: PyramidLevel[] };

/** The pyramid of the image at `url`, built once per URL. */
export const loadImagePyramid: (url: string) => Promise<ImagePyramid> = cachedLoad(buildPyramid);

async function buildPyramid(url: string): Promise<ImagePyramid> {
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`Could not load the image (HTTP ${response.status})`);
  return pyramidOf(await createImageBitmap(await response.blob()));
}

/** The pyramid of display pixels made in the browser (a windowed image, window-level.ts). */
export async function pyramidFromPixels(
  rgba: Uint8ClampedArray<ArrayBuffer>,
  width: number,
  height: number,
): Promise<ImagePyramid> {
  return pyramidOf(await createImageBitmap(new ImageData(rgba, width, height)));
}

/** Frees a pyramid's bitmaps (one made by pyramidFromPixels, once nothing draws it). */
export function closePyramid(pyramid: ImagePyramid): void {
  for (const level of pyramid.levels) if (level.source instanceof ImageBitmap) level.source.close();
}

async function pyramidOf(full: ImageBitmap): Promise<ImagePyramid> {
  const levels: PyramidLevel[] = [{ width: full.width, height: full.height, source: full }];
  let width = full.width;
  let height = full.height;
  while (Math.max(width, height) > 768) {
    width = Math.max(1, Math.round(width / 2));
    height = Math.max(1, Math.round(height / 2));
    const previous = levels[levels.length - 1]!.source as ImageBitmap;
    const level = await createImageBitmap(previous, {
      resizeWidth: width,
      resizeHeight: height,
      resizeQuality: "medium",
    });
    levels.push({ width, height, source: level });
  }
  return { width: full.width, height: full.height, levels };
}

/**
 * The pyramid at the image's own size, when the display is a downscaled rendition of it (the
 * server bounds the display's long side, DISPLAY_MAX_SIDE): every level is then drawn stretched
 * to the image's coordinates. Anything but a smaller picture of the same shape (an EXIF-rotated
 * JPEG, say) is left as drawn.
 */
export function atImageSize(pyramid: ImagePyramid, size: { width: number; height: number }): ImagePyramid {
  const smaller = pyramid.width < size.width && pyramid.height < size.height;
  const sameShape =
    Math.abs(pyramid.width / pyramid.height - size.width / size.height) < 0.01 * (size.width / size.height);
  return smaller && sameShape ? { ...pyramid, width: size.width, height: size.height } : pyramid;
}

/** The smallest level with at least `screenPixelsPerImagePixel` * width pixels. */
export function pickLevel(pyramid: ImagePyramid, screenPixelsPerImagePixel: number): PyramidLevel {
  const wanted = pyramid.width * screenPixelsPerImagePixel;
  for (let i = pyramid.levels.length - 1; i >= 0; i--) {
    const level = pyramid.levels[i]!;
    if (level.width >= wanted) return level;
  }
  return pyramid.levels[0]!;
}
