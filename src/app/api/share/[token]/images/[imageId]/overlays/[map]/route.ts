/**
 * GET /api/share/:token/images/:imageId/overlays/:map: one overlay of the image's newest analysis
 * as a coloured RGBA PNG, if the share link includes that overlay and the image lies in its scope.
 * Everything else (other images, overlays the link leaves out, revoked links) is one 404.
 */
import { z } from "zod";
import { appErrorResponse, matchesIfNoneMatch } from "~/app/api/_lib/route-helpers";
import { db } from "~/server/db";
import { AppError } from "~/server/errors";
import { renderOverlayPng } from "~/server/exports/render-overlay-png";
import { findSharedOverlay } from "~/server/sharing/find-shared-image-blob";
import { blobStore } from "~/server/storage";

export const runtime = "nodejs";

const paramsSchema = z.object({
  token: z.string().min(1).max(100),
  imageId: z.string().min(1).max(64),
  map: z.string().min(1).max(64),
});

export async function GET(
  request: Request,
  context: { params: Promise<{ token: string; imageId: string; map: string }> },
): Promise<Response> {
  try {
    const params = paramsSchema.safeParse(await context.params);
    if (!params.success) throw new AppError("NOT_FOUND", "Overlay not found");
    const map = await findSharedOverlay({
      db,
      token: params.data.token,
      imageId: params.data.imageId,
      mapName: params.data.map,
    });
    if (!map) throw new AppError("NOT_FOUND", "Overlay not found");
    // The colouring is a pure function of the stored map and its role.
    const etag = `"overlay-${map.role}-${map.ref.key.slice("sha256/".length)}"`;
    const headers = new Headers({
      ETag: etag,
      "Cache-Control": "private, no-cache",
      "Content-Type": "image/png",
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
    });
    if (matchesIfNoneMatch(request, etag)) return new Response(null, { status: 304, headers });
    const png = await renderOverlayPng({ png: await blobStore().get(map.ref.key), role: map.role, k: map.k });
    return new Response(new Uint8Array(png), { status: 200, headers });
  } catch (error) {
    return appErrorResponse(error);
  }
}
