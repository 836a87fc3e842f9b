/**
 * The "display" variant of an image: what a browser can draw at full resolution. PNG and 8-bit
 * JPEG originals are already that. Everything else (16-bit or 32-bit TIFF, BMP, 8-bit TIFF) is
 * converted once to an 8-bit PNG, deep images windowed to the sample range they use (the same
 * rule as thumbnails, make-thumbnail.ts), and stored in the blob store.
 *
 * The conversion is keyed by the source's sha256: a per-process map remembers the PNG's blob key,
 * and concurrent first requests share one conversion. After a restart the first request converts
 * again (a few hundred ms for 4096 x 4096 x 16 bit) and the blob store's content addressing makes
 * the put a no-op. A persistent source -> display index (e.g. an Image.displayKey column) would
 * remove that one-off cost; not worth a schema change yet.
 */
import { serverEnv } from "~/server/env";
import { makeThumbnail } from "~/server/codecs/make-thumbnail";
import { probeImage } from "~/server/codecs/probe-image";
import type { BlobStore } from "~/server/storage";

export type DisplaySource = { sha256: string; blobKey: string; format: string; bitDepth: number };
export type DisplayBlob = { blobKey: string; mediaType: string };

const converted = new Map<string, Promise<string>>();

/** True when browsers draw the stored original as is. */
export function isBrowserDisplayable(source: Pick<DisplaySource, "format" | "bitDepth">): boolean {
  return (source.format === "png" || source.format === "jpeg") && source.bitDepth <= 8;
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
}): Promise<DisplayBlob> {
  const { blobs, source } = options;
  if (!options.reencode && isBrowserDisplayable(source)) {
    return { blobKey: source.blobKey, mediaType: source.format === "png" ? "image/png" : "image/jpeg" };
  }
  let pending = converted.get(source.sha256);
  if (!pending) {
    pending = convert(blobs, source);
    converted.set(source.sha256, pending);
    // A failed conversion must not be remembered: the next request tries again.
    pending.catch(() => converted.delete(source.sha256));
  }
  return { blobKey: await pending, mediaType: "image/png" };
}

async function convert(blobs: BlobStore, source: DisplaySource): Promise<string> {
  const bytes = await blobs.get(source.blobKey);
  const env = serverEnv();
  const probe = await probeImage(bytes, {
    maxBytes: Math.max(bytes.length, env.UPLOAD_MAX_BYTES),
    maxPixels: env.UPLOAD_MAX_PIXELS,
  });
  const png = await makeThumbnail(bytes, probe, {
    maxPixels: env.UPLOAD_MAX_PIXELS,
    maxSide: Math.max(probe.width, probe.height),
  });
  return (await blobs.put(png.png)).key;
}
