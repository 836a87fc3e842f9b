/**
 * GET  /api/projects/:projectId/exports/:kind[?datasetId=]: a streamed export, for any member.
 *      results.csv            per-image results (class, probability, label, model, Otsu, clusters...)
 *      annotations.coco.json  regions and image labels as COCO
 *      overlays.zip           coloured PNG overlays of every image's newest analysis
 * POST /api/projects/:projectId/exports/annotations.coco.json[?datasetId=]: imports a COCO file
 *      (the request body) into the project's images; needs EDITOR (it may create label classes).
 * Bodies stream from paged reads (src/server/exports/); nothing is built whole in memory.
 */
import { z } from "zod";
import { appErrorResponse, requireSignedInUser } from "~/app/api/_lib/route-helpers";
import { requireProjectRole } from "~/server/auth/project-access";
import { db } from "~/server/db";
import { AppError } from "~/server/errors";
import { assertExportScope, type ExportScope } from "~/server/exports/export-scope";
import { importCocoAnnotations } from "~/server/imports/import-coco-annotations";
import { readableFromGenerator } from "~/server/exports/readable-from-generator";
import { safeSegment } from "~/server/exports/stream-overlays-zip";
import { streamCocoJson } from "~/server/exports/stream-coco-json";
import { streamOverlaysZip } from "~/server/exports/stream-overlays-zip";
import { streamResultsCsv } from "~/server/exports/stream-results-csv";
import { blobStore } from "~/server/storage";

export const runtime = "nodejs";

const EXPORT_KINDS = {
  "results.csv": { contentType: "text/csv; charset=utf-8", suffix: "results.csv" },
  "annotations.coco.json": {
    contentType: "application/json; charset=utf-8",
    suffix: "annotations.coco.json",
  },
  "overlays.zip": { contentType: "application/zip", suffix: "overlays.zip" },
} as const;
type ExportKind = keyof typeof EXPORT_KINDS;

const paramsSchema = z.object({
  projectId: z.string().min(1).max(64),
  kind: z.enum(Object.keys(EXPORT_KINDS) as [ExportKind, ...ExportKind[]]),
});
const datasetIdSchema = z.string().min(1).max(64).optional();

/** A COCO file is parsed whole (JSON has no streaming parser here); this bounds that. */
const MAX_IMPORT_BYTES = 100 * 1024 * 1024;

type RouteContext = { params: Promise<{ projectId: string; kind: string }> };

async function scopeOf(
  request: Request,
  context: RouteContext,
): Promise<{ kind: ExportKind; scope: ExportScope }> {
  const params = paramsSchema.safeParse(await context.params);
  if (!params.success) throw new AppError("NOT_FOUND", "Unknown export");
  const datasetId = datasetIdSchema.safeParse(
    new URL(request.url).searchParams.get("datasetId") ?? undefined,
  );
  if (!datasetId.success) throw new AppError("BAD_INPUT", "Invalid dataset id");
  return { kind: params.data.kind, scope: { projectId: params.data.projectId, datasetId: datasetId.data } };
}

export async function GET(request: Request, context: RouteContext): Promise<Response> {
  try {
    const { kind, scope } = await scopeOf(request, context);
    const user = await requireSignedInUser();
    await requireProjectRole({ db, userId: user.id, projectId: scope.projectId, minimum: "VIEWER" });
    const { name } = await assertExportScope({ db, scope });
    const body =
      kind === "results.csv"
        ? streamResultsCsv({ db, scope })
        : kind === "annotations.coco.json"
          ? streamCocoJson({ db, scope })
          : streamOverlaysZip({ db, blobs: blobStore(), scope });
    const fileName = `${safeSegment(name)}-${EXPORT_KINDS[kind].suffix}`;
    return new Response(readableFromGenerator(body), {
      status: 200,
      headers: {
        "Content-Type": EXPORT_KINDS[kind].contentType,
        "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`,
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  } catch (error) {
    return appErrorResponse(error);
  }
}

export async function POST(request: Request, context: RouteContext): Promise<Response> {
  try {
    const { kind, scope } = await scopeOf(request, context);
    if (kind !== "annotations.coco.json")
      throw new AppError("NOT_FOUND", "Only COCO annotations can be imported");
    const user = await requireSignedInUser();
    // Checked before the body is read: a non-member cannot make the server buffer a large body.
    await requireProjectRole({ db, userId: user.id, projectId: scope.projectId, minimum: "EDITOR" });
    await assertExportScope({ db, scope });
    if (Number(request.headers.get("content-length") ?? 0) > MAX_IMPORT_BYTES) {
      throw new AppError("TOO_LARGE", "COCO files up to 100 MB can be imported");
    }
    const text = await request.text();
    if (text.length > MAX_IMPORT_BYTES)
      throw new AppError("TOO_LARGE", "COCO files up to 100 MB can be imported");
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch {
      throw new AppError("BAD_INPUT", "The file is not JSON");
    }
    const result = await importCocoAnnotations({ db, scope, actorId: user.id, document });
    return Response.json(result);
  } catch (error) {
    return appErrorResponse(error);
  }
}
