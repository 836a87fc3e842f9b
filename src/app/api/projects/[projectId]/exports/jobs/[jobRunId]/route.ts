/**
 * GET /api/projects/:projectId/exports/jobs/:jobRunId: the file an export job wrote, for any
 * member of the project (non-members and other projects' runs: 404; not finished yet: 409).
 */
import { z } from "zod";
import { appErrorResponse, requireSignedInUser, webStreamFromNode } from "~/app/api/_lib/route-helpers";
import { requireProjectRole } from "~/server/auth/project-access";
import { db } from "~/server/db";
import { AppError } from "~/server/errors";
import { findExportDownload } from "~/server/jobs/find-export-download";
import { blobStore } from "~/server/storage";

export const runtime = "nodejs";

const paramsSchema = z.object({ projectId: z.string().min(1).max(64), jobRunId: z.string().min(1).max(64) });

type RouteContext = { params: Promise<{ projectId: string; jobRunId: string }> };

export async function GET(_request: Request, context: RouteContext): Promise<Response> {
  try {
    const params = paramsSchema.safeParse(await context.params);
    if (!params.success) throw new AppError("NOT_FOUND", "Export not found");
    const user = await requireSignedInUser();
    await requireProjectRole({ db, userId: user.id, projectId: params.data.projectId, minimum: "VIEWER" });
    const file = await findExportDownload({
      db,
      projectId: params.data.projectId,
      jobRunId: params.data.jobRunId,
    });
    return new Response(webStreamFromNode(blobStore().stream(file.blobKey)), {
      status: 200,
      headers: {
        "Content-Type": "application/zip",
        "Content-Length": String(file.bytes),
        "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  } catch (error) {
    return appErrorResponse(error);
  }
}
