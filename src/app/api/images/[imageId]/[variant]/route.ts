/**
 * GET /api/images/:imageId/original | thumbnail | display: the stored bytes, for project members
 * (any role). "display" is what the browser's canvas draws: the original when browsers can show
 * it, else an 8-bit full-resolution PNG (16-bit windowed to its min..max; display-image.ts). Missing images and images in projects the caller cannot see both answer 404, so ids
 * cannot be probed. Bytes are content-addressed, so the ETag is the content's sha256 and a
 * matching If-None-Match gets a 304 without touching the blob.
 */
import { z } from "zod";
import {
  appErrorResponse,
  matchesIfNoneMatch,
  requireSignedInUser,
  webStreamFromNode,
} from "~/app/api/_lib/route-helpers";
import { requireProjectRole } from "~/server/auth/project-access";
import { db, type Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { displayImageBlob } from "~/server/images/display-image";
import { IMAGE_FORMATS, IMAGE_MEDIA_TYPE } from "~/server/codecs/probe-image";
import { blobStore } from "~/server/storage";

export const runtime = "nodejs";

const paramsSchema = z.object({
  imageId: z.string().min(1).max(64),
  variant: z.enum(["original", "thumbnail", "display"]),
});

/**
 * Private: only the member's browser may cache. Bytes under an image id never change; after an
 * hour the browser revalidates (a cheap 304), which re-runs the membership check, so revoked
 * access stops within the hour.
 */
const CACHE_CONTROL = "private, max-age=3600";

export async function GET(
  request: Request,
  context: { params: Promise<{ imageId: string; variant: string }> },
): Promise<Response> {
  try {
    const params = paramsSchema.safeParse(await context.params);
    if (!params.success) throw new AppError("NOT_FOUND", "Image not found");
    const user = await requireSignedInUser();

    const image = await unsafeFindImageBlobs(db, params.data.imageId);
    if (!image) throw new AppError("NOT_FOUND", "Image not found");
    try {
      await requireProjectRole({ db, userId: user.id, projectId: image.projectId, minimum: "VIEWER" });
    } catch (error) {
      if (error instanceof AppError) throw new AppError("NOT_FOUND", "Image not found");
      throw error;
    }

    const isOriginal = params.data.variant === "original";
    const isDisplay = params.data.variant === "display";
    const blobKey = isOriginal ? image.blobKey : image.thumbnailKey;
    // The display bytes derive from the source alone, so its sha names them before any conversion.
    const etag = isDisplay ? `"display-${image.sha256}"` : `"${blobKey.slice("sha256/".length)}"`;
    const headers = new Headers({
      ETag: etag,
      "Cache-Control": CACHE_CONTROL,
      "X-Content-Type-Options": "nosniff",
    });
    if (matchesIfNoneMatch(request, etag)) return new Response(null, { status: 304, headers });

    const blobs = blobStore();
    if (isDisplay) {
      const display = await displayImageBlob({ blobs, source: image });
      headers.set("Content-Type", display.mediaType);
      return new Response(webStreamFromNode(blobs.stream(display.blobKey)), { status: 200, headers });
    }
    if (!(await blobs.has(blobKey))) {
      throw new Error(`Blob ${blobKey} of image ${params.data.imageId} is missing`);
    }
    if (isOriginal) {
      headers.set("Content-Type", mediaTypeOf(image.format));
      headers.set("Content-Length", String(image.byteSize));
      headers.set(
        "Content-Disposition",
        `inline; filename*=UTF-8''${encodeRfc5987(baseName(image.fileName))}`,
      );
    } else {
      headers.set("Content-Type", "image/png");
    }
    return new Response(webStreamFromNode(blobs.stream(blobKey)), { status: 200, headers });
  } catch (error) {
    return appErrorResponse(error);
  }
}

/** No access rule in this lookup: the caller checks the project role right after. */
function unsafeFindImageBlobs(database: Db, imageId: string) {
  return database.image.findUnique({
    where: { id: imageId },
    select: {
      projectId: true,
      blobKey: true,
      thumbnailKey: true,
      sha256: true,
      bitDepth: true,
      format: true,
      byteSize: true,
      fileName: true,
    },
  });
}

function mediaTypeOf(format: string): string {
  const known = IMAGE_FORMATS.find((candidate) => candidate === format);
  return known ? IMAGE_MEDIA_TYPE[known] : "application/octet-stream";
}

/** Zip entries are stored as "archive.zip/dir/name.png"; a download is named "name.png". */
function baseName(fileName: string): string {
  return fileName.split("/").pop() || "image";
}

/** encodeURIComponent leaves ' ( ) * alone, which RFC 5987 header values may not contain. */
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
