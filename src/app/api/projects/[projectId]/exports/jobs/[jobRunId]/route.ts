/**
 * GET /api/projects/:projectId/exports/jobs/:jobRunId: the file an export job wrote, for any
 * member of the project (non-members and other projects' runs: 404; not finished yet: 409).
 */
import { z } from "zod";
import { idSchema } from "~/core/schemas";
import { projectRoute } from "~/server/http/project-route";
import { serveBlob } from "~/server/http/serve-blob";
import { findExportDownload } from "~/server/jobs/find-export-download";

export const runtime = "nodejs";

export const GET = projectRoute({
  minimum: "VIEWER",
  params: z.object({ projectId: idSchema, jobRunId: idSchema }),
  notFound: "Export not found",
  handler: async ({ request, db, blobs, params }) => {
    const file = await findExportDownload({ db, projectId: params.projectId, jobRunId: params.jobRunId });
    return serveBlob(request, {
      blobs,
      cacheControl: "private, no-store",
      download: { disposition: "attachment", fileName: file.fileName },
      content: async () => ({ blobKey: file.blobKey, contentType: "application/zip", size: file.bytes }),
    });
  },
});
