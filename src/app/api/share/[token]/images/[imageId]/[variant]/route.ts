/**
 * GET /api/share/:token/images/:imageId/display | thumbnail | samples: image bytes for a share link's
 * page, without an account. The token is checked on every request (revoked or expired links
 * answer 404 at once: "no-cache" makes browsers revalidate, and the ETag keeps that cheap), and
 * the image must lie inside the link's scope; ids from elsewhere answer the same 404.
 */
import { z } from "zod";
import { idSchema } from "~/core/schemas";
import { projectRoute } from "~/server/http/project-route";
import { serveBlob } from "~/server/http/serve-blob";
import { imageVariantBlob } from "~/server/images/find-image-variant";
import { AppError } from "~/server/errors";
import { findSharedImageBlob } from "~/server/sharing/find-shared-image-blob";

export const runtime = "nodejs";

export const GET = projectRoute({
  minimum: "share-token",
  params: z.object({
    token: z.string().min(1).max(100),
    imageId: idSchema,
    // Share links serve renditions re-encoded from pixels, never the uploaded file ("samples":
    // the 16-bit PNG of a 16-bit image's values, for window/level; else the display).
    variant: z.enum(["display", "thumbnail", "samples"]),
  }),
  notFound: "Image not found",
  handler: async ({ request, db, blobs, params, shareLink }) => {
    const image = await findSharedImageBlob({ db, link: shareLink, imageId: params.imageId });
    if (!image) throw new AppError("NOT_FOUND", "Image not found");
    return serveBlob(request, {
      blobs,
      cacheControl: "private, no-cache",
      headers: { "Referrer-Policy": "no-referrer" },
      ...imageVariantBlob({ blobs, image, variant: params.variant, reencodeDisplay: true }),
    });
  },
});
