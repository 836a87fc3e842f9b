/**
 * The bytes behind /api/images/:imageId/:variant and the shared image route: which blob a
 * variant is, its ETag (known before any bytes are read) and its media type.
 *   original   the uploaded file, as uploaded
 *   thumbnail  the stored PNG thumbnail
 *   display    what a browser's canvas draws (display-image.ts), converted on first use
 *   samples    the raw values for window/level and the pointer readout: a 16-bit PNG for 16-bit
 *              images, else the display (display-image.ts)
 */
import { IMAGE_FORMATS, IMAGE_MEDIA_TYPE } from "~/server/codecs/probe-image";
import type { Db } from "~/server/db";
import type { BlobStore } from "~/server/storage";
import { sha256OfBlobKey } from "~/server/storage/blob-keys";
import { displayImageBlob, hasDeepSamples, type DisplaySource } from "./display-image";

export const IMAGE_VARIANTS = ["original", "thumbnail", "display", "samples"] as const;
export type ImageVariant = (typeof IMAGE_VARIANTS)[number];

export type VariantSource = DisplaySource & { thumbnailKey: string };
type OriginalFields = { byteSize: number; fileName: string };

export type ImageVariantBlob = {
  etag: string;
  /** Finds the bytes; the display variant may convert the original here, so call it only when needed. */
  content: () => Promise<{ blobKey: string; contentType: string; size?: number }>;
  /** Originals are served under their own name. */
  download?: { disposition: "inline"; fileName: string };
};

/**
 * The blob fields of an image and its project. No access rule in this lookup: the route wrapper
 * checks the caller's role in `projectId` right after, hence "unsafe".
 */
export function unsafeFindServableImage(options: { db: Db; imageId: string }) {
  return options.db.image.findUnique({
    where: { id: options.imageId },
    select: {
      projectId: true,
      blobKey: true,
      thumbnailKey: true,
      sha256: true,
      bitDepth: true,
      format: true,
      byteSize: true,
      fileName: true,
      width: true,
      height: true,
    },
  });
}

/** Share links never serve originals, so their lookups need not select the original's name and size. */
export function imageVariantBlob(options: {
  blobs: BlobStore;
  image: VariantSource & Partial<OriginalFields>;
  variant: ImageVariant;
  /** Share links: the display variant is always re-encoded from pixels (no metadata of the upload). */
  reencodeDisplay?: boolean;
}): ImageVariantBlob {
  const { blobs, image } = options;
  const reencode = options.reencodeDisplay === true;
  switch (options.variant) {
    case "display":
    case "samples": {
      const samples = options.variant === "samples" && hasDeepSamples(image);
      return {
        // The display bytes derive from the source alone, so its sha names them before any conversion.
        etag: `"${samples ? "samples16" : reencode ? "rendition" : "display"}-${image.sha256}"`,
        content: async () => {
          const display = await displayImageBlob({ blobs, source: image, reencode, samples });
          return { blobKey: display.blobKey, contentType: display.mediaType };
        },
      };
    }
    case "thumbnail":
      return {
        etag: `"${sha256OfBlobKey(image.thumbnailKey)}"`,
        content: async () => ({ blobKey: image.thumbnailKey, contentType: "image/png" }),
      };
    case "original":
      return {
        etag: `"${sha256OfBlobKey(image.blobKey)}"`,
        content: async () => ({
          blobKey: image.blobKey,
          contentType: mediaTypeOf(image.format),
          size: image.byteSize,
        }),
        download: { disposition: "inline", fileName: baseName(image.fileName ?? "") },
      };
  }
}

function mediaTypeOf(format: string): string {
  const known = IMAGE_FORMATS.find((candidate) => candidate === format);
  return known ? IMAGE_MEDIA_TYPE[known] : "application/octet-stream";
}

/** Zip entries are stored as "archive.zip/dir/name.png"; a download is named "name.png". */
function baseName(fileName: string): string {
  return fileName.split("/").pop() || "image";
}
