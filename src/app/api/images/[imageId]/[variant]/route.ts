/**
 * GET /api/images/:imageId/original | thumbnail | display | samples: the stored bytes, for project
 * members (any role). "display" is what the browser's canvas draws: the original when browsers can
 * show it, else an 8-bit full-resolution PNG (16-bit windowed to its min..max; display-image.ts).
 * "samples" is the raw values for window/level and the readout (a 16-bit PNG of a 16-bit image).
 * Missing images and images in projects the caller cannot see both answer 404, so ids cannot be
 * probed. Bytes are content-addressed, so the ETag is the content's sha256 and a matching
 * If-None-Match gets a 304 without touching the blob.
 */
import { z } from "zod";
import { idSchema } from "~/core/schemas";
import { IMAGE_VARIANTS, imageVariantBlob, unsafeFindServableImage } from "~/server/images/find-image-variant";
import { projectRoute } from "~/server/http/project-route";
import { serveBlob } from "~/server/http/serve-blob";

export const runtime = "nodejs";

/**
 * Private: only the member's browser may cache. Bytes under an image id never change; after an
 * hour the browser revalidates (a cheap 304), which re-runs the membership check, so revoked
 * access stops within the hour.
 */
const CACHE_CONTROL = "private, max-age=3600";

export const GET = projectRoute({
  minimum: "VIEWER",
  params: z.object({ imageId: idSchema, variant: z.enum(IMAGE_VARIANTS) }),
  notFound: "Image not found",
  resolveTarget: ({ db, params }) => unsafeFindServableImage({ db, imageId: params.imageId }),
  handler: ({ request, blobs, params, target: image }) =>
    serveBlob(request, {
      blobs,
      cacheControl: CACHE_CONTROL,
      ...imageVariantBlob({ blobs, image, variant: params.variant }),
    }),
});
