/**
 * POST multipart/form-data with one or more files in the field "files" (images or .zip):
 * stores them in the dataset and answers `{ results: IngestResult[] }`, one result per file
 * (per zip entry), whatever happened to the others. Needs the EDITOR role.
 */
import { z } from "zod";
import { idSchema } from "~/core/schemas";
import { formatBytes } from "~/server/codecs/probe-image";
import { ingestFiles, type IngestResult } from "~/server/datasets/ingest-files";
import { serverEnv } from "~/server/env";
import { AppError } from "~/server/errors";
import { projectRoute } from "~/server/http/project-route";
import { readLimitedFormData } from "~/server/http/read-limited-form-data";

export const runtime = "nodejs";

export type UploadResponse = { results: IngestResult[] };

/**
 * The whole body is held in memory while parsed, so one request carries at most one
 * largest-allowed file (plus room for the multipart framing). The upload panel sends one file
 * per request anyway; scripts sending many files per request must stay under this.
 */
const MULTIPART_OVERHEAD_BYTES = 1024 * 1024;

export const POST = projectRoute({
  // The wrapper checks the role before the body is read: a non-member cannot make the server buffer a large body.
  minimum: "EDITOR",
  params: z.object({ projectId: idSchema, datasetId: idSchema }),
  notFound: "Dataset not found",
  contentType: "multipart/form-data",
  handler: async ({ request, db, blobs, params, user }) => {
    const maxRequestBytes = serverEnv().UPLOAD_MAX_BYTES + MULTIPART_OVERHEAD_BYTES;
    const tooLargeMessage = `The upload is larger than ${formatBytes(maxRequestBytes)}, the limit for one request; send large files one per request.`;
    const declaredLength = Number(request.headers.get("content-length") ?? 0);
    if (declaredLength > maxRequestBytes) throw new AppError("TOO_LARGE", tooLargeMessage);

    const form = await readLimitedFormData(request, { maxBytes: maxRequestBytes, tooLargeMessage });
    const uploads = form.getAll("files").filter((value): value is File => typeof value !== "string");
    if (uploads.length === 0) {
      throw new AppError("BAD_INPUT", 'No files: send one or more files in the form field "files".');
    }
    const files = await Promise.all(
      uploads.map(async (file) => ({ name: file.name, bytes: Buffer.from(await file.arrayBuffer()) })),
    );

    const results = await ingestFiles({
      db,
      blobs,
      projectId: params.projectId,
      datasetId: params.datasetId,
      userId: user.id,
      files,
    });
    return Response.json({ results } satisfies UploadResponse);
  },
});
