/**
 * The "display" variant of an image: what a browser can draw. PNG and 8-bit JPEG originals no
 * larger than DISPLAY_MAX_SIDE are already that. Everything else (16-bit or 32-bit TIFF, BMP, 8-bit TIFF) is converted once to an
 * 8-bit PNG, deep images windowed to the sample range they use (the same rule as thumbnails),
 * at most DISPLAY_MAX_SIDE pixels on its long side (render-display.ts): a bigger image gets a
 * downscaled rendition, which the workspace canvas draws stretched to the image's own size
 * (image-pyramid.ts), so annotation coordinates stay those of the original.
 *
 * The conversion runs in a heavy-work thread (src/server/workers) and is made once: keyed by the
 * source's sha256 and the size limit, a per-process map shares concurrent first requests, and a
 * small index file (DATA_DIR/display/<sha256>-<side>, holding the PNG's blob key) keeps it across
 * restarts. The blob store's content addressing makes a repeated put a no-op anyway.
 *
 * `samples`: the raw values the browser's window/level and readout need. For a 16-bit image a
 * 16-bit PNG at the display's size (render-display.ts renderSamples16), made and kept the same
 * way; for any other image the display itself (its 8-bit values are the stored ones).
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { dataDir, serverEnv } from "~/server/env";
import type { BlobStore } from "~/server/storage";
import { decodeLimits, movableSource, runHeavyTask } from "~/server/workers/heavy-pool";

export type DisplaySource = {
  sha256: string;
  blobKey: string;
  format: string;
  bitDepth: number;
  width: number;
  height: number;
};
export type DisplayBlob = { blobKey: string; mediaType: string };

const converted = new Map<string, Promise<string>>();

/** True when browsers draw the stored original as is (a drawable format, and not too big). */
export function isBrowserDisplayable(source: Omit<DisplaySource, "sha256" | "blobKey">, maxSide: number): boolean {
  const drawable = (source.format === "png" || source.format === "jpeg") && source.bitDepth <= 8;
  return drawable && Math.max(source.width, source.height) <= maxSide;
}

/**
 * `reencode`: always a PNG made from the decoded pixels, even for a PNG or JPEG original, so
 * nothing of the uploaded file (EXIF, comments, embedded thumbnails) leaves with it: what share
 * links serve.
 */
export async function displayImageBlob(options: {
  blobs: BlobStore;
  source: DisplaySource;
  reencode?: boolean;
  samples?: boolean;
}): Promise<DisplayBlob> {
  const { blobs, source } = options;
  const maxSide = serverEnv().DISPLAY_MAX_SIDE;
  const samples = options.samples === true && hasDeepSamples(source);
  if (!samples && !options.reencode && isBrowserDisplayable(source, maxSide)) {
    return { blobKey: source.blobKey, mediaType: source.format === "png" ? "image/png" : "image/jpeg" };
  }
  const cacheKey = `${source.sha256}-${maxSide}${samples ? "-samples16" : ""}`;
  let pending = converted.get(cacheKey);
  if (!pending) {
    pending = storedOrConvert(blobs, source, maxSide, cacheKey, samples);
    converted.set(cacheKey, pending);
    // A failed conversion must not be remembered: the next request tries again.
    pending.catch(() => converted.delete(cacheKey));
  }
  return { blobKey: await pending, mediaType: "image/png" };
}

/** The rendition made before (also by an earlier process), else a new one. */
async function storedOrConvert(
  blobs: BlobStore,
  source: DisplaySource,
  maxSide: number,
  cacheKey: string,
  samples: boolean,
) {
  const indexFile = path.join(dataDir(), "display", cacheKey);
  const known = await readFile(indexFile, "utf8").catch(() => null);
  if (known && (await blobs.has(known.trim()))) return known.trim();

  const key = await convert(blobs, source, maxSide, samples);
  await mkdir(path.dirname(indexFile), { recursive: true });
  const temporary = `${indexFile}.${process.pid}.tmp`;
  await writeFile(temporary, key);
  await rename(temporary, indexFile);
  return key;
}

/** 16-bit integer samples: the ones an 8-bit display cannot carry (float images keep the display). */
export function hasDeepSamples(source: { bitDepth: number }): boolean {
  return source.bitDepth === 16;
}

async function convert(blobs: BlobStore, source: DisplaySource, maxSide: number, samples: boolean): Promise<string> {
  const bytes = await blobs.get(source.blobKey);
  // A stored original was accepted once: a later, lower upload limit must not hide it.
  const limits = decodeLimits();
  limits.maxBytes = Math.max(bytes.length, limits.maxBytes);
  const { source: input, transfer } = movableSource(bytes);
  const task = samples ? "image.samples" : "image.display";
  const display = await runHeavyTask(task, { source: input, limits, maxSide }, { transfer });
  return (await blobs.put(new Uint8Array(display.png))).key;
}
