/**
 * POST multipart/form-data with one or more files in the field "files" (images or .zip):
 * stores them in the dataset and answers `{ results: IngestResult[] }`, one result per file
 * (per zip entry), whatever happened to the others. Needs the EDITOR role.
 */
import { z } from "zod";
import { appErrorResponse, readLimitedFormData, requireSignedInUser } from "~/app/api/_lib/route-helpers";
import { requireProjectRole } from "~/server/auth/project-access";
import { ingestFiles, type IngestResult } from "~/server/datasets/ingest-files";
import { db } from "~/server/db";
import { serverEnv } from "~/server/env";
import { AppError } from "~/server/errors";
import { formatBytes } from "~/server/codecs/probe-image";
import { blobStore } from "~/server/storage";

export const runtime = "nodejs";

export type UploadResponse = { results: IngestResult[] };

const paramsSchema = z.object({
  projectId: z.string().min(1).max(64),
  datasetId: z.string().min(1).max(64),
});

/**
 * The whole body is held in memory while parsed, so one request carries at most one
 * largest-allowed file (plus room for the multipart framing). The upload panel sends one file
 * per request anyway; scripts sending many files per request must stay under this.
 */
const MULTIPART_OVERHEAD_BYTES = 1024 * 1024;

export async function POST(
  request: Request,
  context: { params: Promise<{ projectId: string; datasetId: string }> },
): Promise<Response> {
  try {
    const params = paramsSchema.safeParse(await context.params);
    if (!params.success) throw new AppError("NOT_FOUND", "Dataset not found");
    const user = await requireSignedInUser();

    const maxRequestBytes = serverEnv().UPLOAD_MAX_BYTES + MULTIPART_OVERHEAD_BYTES;
    const tooLargeMessage = `The upload is larger than ${formatBytes(maxRequestBytes)}, the limit for one request; send large files one per request.`;
    const declaredLength = Number(request.headers.get("content-length") ?? 0);
    if (declaredLength > maxRequestBytes) throw new AppError("TOO_LARGE", tooLargeMessage);

    const { projectId, datasetId } = params.data;
    // Checked before the body is read: a non-member cannot make the server buffer a large body.
    await requireProjectRole({ db, userId: user.id, projectId, minimum: "EDITOR" });

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
      blobs: blobStore(),
      projectId,
      datasetId,
      userId: user.id,
      files,
    });
    return Response.json({ results } satisfies UploadResponse);
  } catch (error) {
    return appErrorResponse(error);
  }
}
