/**
 * GET /api/share/:token/images/:imageId/display | thumbnail: image bytes for a share link's
 * page, without an account. The token is checked on every request (revoked or expired links
 * answer 404 at once: "no-cache" makes browsers revalidate, and the ETag keeps that cheap), and
 * the image must lie inside the link's scope; ids from elsewhere answer the same 404.
 */
import { z } from "zod";
import { appErrorResponse, matchesIfNoneMatch, webStreamFromNode } from "~/app/api/_lib/route-helpers";
import { db } from "~/server/db";
import { AppError } from "~/server/errors";
import { displayImageBlob } from "~/server/images/display-image";
import { findSharedImageBlob } from "~/server/sharing/find-shared-image-blob";
import { blobStore } from "~/server/storage";

export const runtime = "nodejs";

const paramsSchema = z.object({
  token: z.string().min(1).max(100),
  imageId: z.string().min(1).max(64),
  variant: z.enum(["display", "thumbnail"]),
});

export async function GET(
  request: Request,
  context: { params: Promise<{ token: string; imageId: string; variant: string }> },
): Promise<Response> {
  try {
    const params = paramsSchema.safeParse(await context.params);
    if (!params.success) throw new AppError("NOT_FOUND", "Image not found");
    const image = await findSharedImageBlob({ db, token: params.data.token, imageId: params.data.imageId });
    if (!image) throw new AppError("NOT_FOUND", "Image not found");
    const isDisplay = params.data.variant === "display";
    const etag = isDisplay ? `"display-${image.sha256}"` : `"${image.thumbnailKey.slice("sha256/".length)}"`;
    const headers = new Headers({
      ETag: etag,
      "Cache-Control": "private, no-cache",
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
    });
    if (matchesIfNoneMatch(request, etag)) return new Response(null, { status: 304, headers });
    const blobs = blobStore();
    if (isDisplay) {
      const display = await displayImageBlob({ blobs, source: image });
      headers.set("Content-Type", display.mediaType);
      return new Response(webStreamFromNode(blobs.stream(display.blobKey)), { status: 200, headers });
    }
    headers.set("Content-Type", "image/png");
    return new Response(webStreamFromNode(blobs.stream(image.thumbnailKey)), { status: 200, headers });
  } catch (error) {
    return appErrorResponse(error);
  }
}
