/**
 * GET /api/share/:token/images/:imageId/overlays/:map: one overlay of the image's newest analysis
 * as a coloured RGBA PNG, if the share link includes that overlay and the image lies in its scope.
 * Everything else (other images, overlays the link leaves out, revoked links) is one 404.
 */
import { z } from "zod";
import { idSchema } from "~/core/schemas";
import { AppError } from "~/server/errors";
import { renderOverlayPng } from "~/server/exports/render-overlay-png";
import { projectRoute } from "~/server/http/project-route";
import { contentAddressedEtag, serveBlob } from "~/server/http/serve-blob";
import { findSharedOverlay } from "~/server/sharing/find-shared-image-blob";

export const runtime = "nodejs";

const mapNameSchema = z.string().min(1).max(64);

export const GET = projectRoute({
  minimum: "share-token",
  params: z.object({ token: z.string().min(1).max(100), imageId: idSchema, map: mapNameSchema }),
  notFound: "Overlay not found",
  handler: async ({ request, db, blobs, params, shareLink }) => {
    const map = await findSharedOverlay({
      db,
      link: shareLink,
      imageId: params.imageId,
      mapName: params.map,
    });
    if (!map) throw new AppError("NOT_FOUND", "Overlay not found");
    return serveBlob(request, {
      blobs,
      // The colouring is a pure function of the stored map and its role.
      etag: contentAddressedEtag(map.ref.key, `overlay-${map.role}`),
      cacheControl: "private, no-cache",
      headers: { "Referrer-Policy": "no-referrer" },
      content: async () => ({
        bytes: await renderOverlayPng({ png: await blobs.get(map.ref.key), role: map.role, k: map.k }),
        contentType: "image/png",
      }),
    });
  },
});
