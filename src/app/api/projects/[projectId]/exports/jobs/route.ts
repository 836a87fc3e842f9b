/**
 * POST /api/projects/:projectId/exports/jobs  body: { kind: "overlays.zip", datasetId? }
 *      starts an export as a background job (any member, like the streamed exports) and answers
 *      { jobRunId, alreadyRunning }. Progress shows in the project's jobs (job.watch); the file
 *      is then served by GET ./:jobRunId. It sits beside the streamed exports it runs.
 */
import { z } from "zod";
import { appErrorResponse, requireSignedInUser } from "~/app/api/_lib/route-helpers";
import { requireProjectRole } from "~/server/auth/project-access";
import { db } from "~/server/db";
import { AppError } from "~/server/errors";
import { EXPORT_JOB_KINDS } from "~/server/jobs/definitions/export";
import { startExport } from "~/server/jobs/start-export";

export const runtime = "nodejs";

const paramsSchema = z.object({ projectId: z.string().min(1).max(64) });
const bodySchema = z.object({
  kind: z.enum(EXPORT_JOB_KINDS).default("overlays.zip"),
  datasetId: z.string().min(1).max(64).optional(),
});

type RouteContext = { params: Promise<{ projectId: string }> };

export async function POST(request: Request, context: RouteContext): Promise<Response> {
  try {
    const params = paramsSchema.safeParse(await context.params);
    if (!params.success) throw new AppError("NOT_FOUND", "Project not found");
    const user = await requireSignedInUser();
    await requireProjectRole({ db, userId: user.id, projectId: params.data.projectId, minimum: "VIEWER" });
    let json: unknown;
    try {
      json = await request.json();
    } catch {
      json = {};
    }
    const body = bodySchema.safeParse(json ?? {});
    if (!body.success) throw new AppError("BAD_INPUT", "Unknown export kind or dataset");
    const started = await startExport({
      db,
      projectId: params.data.projectId,
      actorId: user.id,
      ...body.data,
    });
    return Response.json(started, { status: started.alreadyRunning ? 200 : 202 });
  } catch (error) {
    return appErrorResponse(error);
  }
}
