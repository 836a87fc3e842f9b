/**
 * GET /api/analyses/:analysisId/maps/:map: one stored 8-bit map of an analysis (segmentation,
 * texture, cluster labels, CAM...) as a single-channel PNG, for project members (any role). The
 * browser colours it (colormaps.ts), so a colour map or opacity change costs no request.
 * Missing analyses, unknown maps and analyses of projects the caller cannot see all answer 404.
 * Maps are content-addressed blobs: the ETag is their sha256 and they never change.
 */
import { z } from "zod";
import {
  appErrorResponse,
  matchesIfNoneMatch,
  requireSignedInUser,
  webStreamFromNode,
} from "~/app/api/_lib/route-helpers";
import { unsafeFindAnalysisMap } from "~/server/analysis/find-analysis-map";
import { requireProjectRole } from "~/server/auth/project-access";
import { db } from "~/server/db";
import { AppError } from "~/server/errors";
import { blobStore } from "~/server/storage";

export const runtime = "nodejs";

const paramsSchema = z.object({
  analysisId: z.string().min(1).max(64),
  map: z.string().min(1).max(64),
});

/** Immutable content, but private: revalidation after a day re-runs the membership check. */
const CACHE_CONTROL = "private, max-age=86400";

export async function GET(
  request: Request,
  context: { params: Promise<{ analysisId: string; map: string }> },
): Promise<Response> {
  try {
    const params = paramsSchema.safeParse(await context.params);
    if (!params.success) throw new AppError("NOT_FOUND", "Map not found");
    const user = await requireSignedInUser();
    const found = await unsafeFindAnalysisMap({
      db,
      analysisId: params.data.analysisId,
      map: params.data.map,
    });
    if (!found) throw new AppError("NOT_FOUND", "Map not found");
    try {
      await requireProjectRole({ db, userId: user.id, projectId: found.projectId, minimum: "VIEWER" });
    } catch (error) {
      if (error instanceof AppError) throw new AppError("NOT_FOUND", "Map not found");
      throw error;
    }
    const etag = `"${found.blobKey.slice("sha256/".length)}"`;
    const headers = new Headers({
      ETag: etag,
      "Cache-Control": CACHE_CONTROL,
      "Content-Type": "image/png",
      "X-Content-Type-Options": "nosniff",
    });
    if (matchesIfNoneMatch(request, etag)) return new Response(null, { status: 304, headers });
    const blobs = blobStore();
    if (!(await blobs.has(found.blobKey)))
      throw new Error(`Blob ${found.blobKey} of analysis ${params.data.analysisId} is missing`);
    return new Response(webStreamFromNode(blobs.stream(found.blobKey)), { status: 200, headers });
  } catch (error) {
    return appErrorResponse(error);
  }
}
