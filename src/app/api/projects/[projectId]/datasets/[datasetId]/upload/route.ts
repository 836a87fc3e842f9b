/**
 * POST multipart/form-data with one or more files in the field "files" (images or .zip):
 * stores them in the dataset and answers `{ results: IngestResult[] }`, one result per file
 * (per zip entry), whatever happened to the others. Needs the EDITOR role.
 *
 * Condition tags (optional): "paths", one per file in the same order, is where each file sat in
 * an uploaded folder ("8mAh/1 cycle/a.tif"), and "pattern" the pattern the uploader confirmed
 * (src/core/conditions/path-pattern.ts) that reads tags from those paths.
 */
import { z } from "zod";
import { compilePattern, PatternError, PATTERN_LIMITS } from "~/core/conditions/path-pattern";
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
    const paths = form.getAll("paths").map((value) => (typeof value === "string" ? value : ""));
    if (paths.length > 0 && paths.length !== uploads.length) {
      throw new AppError(
        "BAD_INPUT",
        `Send one "paths" field per file (${uploads.length} files, ${paths.length} paths).`,
      );
    }
    if (paths.some((path) => path.length > PATTERN_LIMITS.maxPathLength)) {
      throw new AppError("BAD_INPUT", `A path has more than ${PATTERN_LIMITS.maxPathLength} characters.`);
    }
    const files = await Promise.all(
      uploads.map(async (file, index) => ({
        name: file.name,
        bytes: Buffer.from(await file.arrayBuffer()),
        relativePath: paths[index] || undefined,
      })),
    );

    const results = await ingestFiles({
      db,
      blobs,
      projectId: params.projectId,
      datasetId: params.datasetId,
      userId: user.id,
      files,
      pathPattern: readPattern(form.get("pattern")),
    });
    return Response.json({ results } satisfies UploadResponse);
  },
});

/** The confirmed pattern, or null when none was sent; BAD_INPUT with what is wrong in it. */
function readPattern(value: FormDataEntryValue | null) {
  if (typeof value !== "string" || value.trim() === "") return null;
  try {
    return compilePattern(value);
  } catch (error) {
    if (error instanceof PatternError) throw new AppError("BAD_INPUT", `Condition pattern: ${error.message}`);
    throw error;
  }
}
