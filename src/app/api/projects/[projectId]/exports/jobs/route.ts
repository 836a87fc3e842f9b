/**
 * POST /api/projects/:projectId/exports/jobs  body: { kind: "overlays.zip", datasetId? }
 *      starts an export as a background job (any member, like the streamed exports) and answers
 *      { jobRunId, alreadyRunning }. Progress shows in the project's jobs (job.watch); the file
 *      is then served by GET ./:jobRunId. It sits beside the streamed exports it runs.
 */
import { z } from "zod";
import { idSchema } from "~/core/schemas";
import { AppError } from "~/server/errors";
import { projectRoute } from "~/server/http/project-route";
import { EXPORT_JOB_KINDS } from "~/server/jobs/definitions/export";
import { startExport } from "~/server/jobs/start-export";

export const runtime = "nodejs";

const bodySchema = z.object({
  kind: z.enum(EXPORT_JOB_KINDS).default("overlays.zip"),
  datasetId: idSchema.optional(),
});

export const POST = projectRoute({
  minimum: "VIEWER",
  params: z.object({ projectId: idSchema }),
  notFound: "Project not found",
  contentType: "application/json",
  handler: async ({ request, db, params, user }) => {
    let json: unknown;
    try {
      json = await request.json();
    } catch {
      json = {};
    }
    const body = bodySchema.safeParse(json ?? {});
    if (!body.success) throw new AppError("BAD_INPUT", "Unknown export kind or dataset");
    const started = await startExport({ db, projectId: params.projectId, actorId: user.id, ...body.data });
    return Response.json(started, { status: started.alreadyRunning ? 200 : 202 });
  },
});
