/**
 * GET /api/analyses/:analysisId/maps/:map: one stored 8-bit map of an analysis (segmentation,
 * texture, cluster labels, CAM...) as a single-channel PNG, for project members (any role). The
 * browser colours it (colormaps.ts), so a colour map or opacity change costs no request.
 * Missing analyses, unknown maps and analyses of projects the caller cannot see all answer 404.
 * Maps are content-addressed blobs: the ETag is their sha256 and they never change.
 */
import { z } from "zod";
import { idSchema } from "~/core/schemas";
import { unsafeFindAnalysisMap } from "~/server/analysis/find-analysis-map";
import { projectRoute } from "~/server/http/project-route";
import { serveStoredPng } from "~/server/http/serve-stored-png";

export const runtime = "nodejs";

export const GET = projectRoute({
  minimum: "VIEWER",
  params: z.object({ analysisId: idSchema, map: z.string().min(1).max(64) }),
  notFound: "Map not found",
  resolveTarget: ({ db, params }) => unsafeFindAnalysisMap({ db, analysisId: params.analysisId, map: params.map }),
  handler: ({ request, blobs, target }) => serveStoredPng(request, blobs, target.blobKey),
});
