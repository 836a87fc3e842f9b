/**
 * GET  /api/projects/:projectId/exports/:kind[?datasetId=][&settingsVersion=]: a streamed export,
 *      for any member. Results (results.csv, overlays, objects) are those of the project's current
 *      analysis settings, or of the version asked for (src/server/settings), never of whatever was
 *      viewed last; the X-Settings-Version header and each row name the version.
 *      results.csv            per-image results (class, probability, label, model, Otsu, clusters...)
 *      annotations.coco.json  regions and image labels as COCO
 *      overlays.zip           coloured PNG overlays of every image's newest analysis
 *      objects.csv            one row per object of every image's reported object set (px and µm)
 *      objects.coco.json      the same objects as COCO instances (RLE masks at the image's size)
 *      The two objects exports take &objects=classical (default: the reported classical sets) or
 *      &objects=sam2 (the stored SAM 2 sets) with &samModel=<installed name> (default: the default
 *      ready model) and the generator's parameters by name (&pointsPerSide=32&predIouThresh=0.8...;
 *      the rest the defaults), as sam2.objectSet looks sets up (src/server/exports/objects-source.ts).
 * POST /api/projects/:projectId/exports/annotations.coco.json[?datasetId=]: imports a COCO file
 *      (the request body, application/json, up to COCO_IMPORT_LIMITS.maxDocumentBytes) into the
 *      project's images as a background job; needs EDITOR (it may create label classes). Answers
 *      202 { jobRunId, alreadyRunning } (200 when the same file is already being imported), 413
 *      for a bigger file (before reading it whole), 415 for another content type, 400 when it is
 *      not a JSON object naming "images". Progress and the outcome are the run's (job.watch).
 *      ?mode=merge (default: skip regions identical to existing ones) or ?mode=replace (remove
 *      the regions of the file's images first); src/core/coco-import-modes.
 * Bodies stream from paged reads (src/server/exports/); nothing is built whole in memory.
 */
import { z } from "zod";
import { DEFAULT_COCO_IMPORT_MODE, isCocoImportMode } from "~/core/coco-import-modes";
import { idSchema } from "~/core/schemas";
import { AppError } from "~/server/errors";
import { assertExportScope, type ExportScope } from "~/server/exports/export-scope";
import { namesObjectsSource, objectsSourceQuery, resolveObjectsSource } from "~/server/exports/objects-source";
import { readableFromGenerator } from "~/server/exports/readable-from-generator";
import { streamCocoJson } from "~/server/exports/stream-coco-json";
import { streamObjectsCoco } from "~/server/exports/stream-objects-coco";
import { streamObjectsCsv } from "~/server/exports/stream-objects-csv";
import { safeSegment, streamOverlaysZip } from "~/server/exports/stream-overlays-zip";
import { streamResultsCsv } from "~/server/exports/stream-results-csv";
import { projectRoute } from "~/server/http/project-route";
import { getProjectSettings } from "~/server/settings/project-settings";
import { readCocoUpload, startCocoImport } from "~/server/imports/start-coco-import";

export const runtime = "nodejs";

const EXPORT_KINDS = {
  "results.csv": { contentType: "text/csv; charset=utf-8", suffix: "results.csv" },
  "annotations.coco.json": {
    contentType: "application/json; charset=utf-8",
    suffix: "annotations.coco.json",
  },
  "overlays.zip": { contentType: "application/zip", suffix: "overlays.zip" },
  "objects.csv": { contentType: "text/csv; charset=utf-8", suffix: "objects.csv" },
  "objects.coco.json": { contentType: "application/json; charset=utf-8", suffix: "objects.coco.json" },
} as const;
type ExportKind = keyof typeof EXPORT_KINDS;

const datasetIdSchema = idSchema.optional();

function scopeOf(request: Request, projectId: string): ExportScope {
  const datasetId = datasetIdSchema.safeParse(new URL(request.url).searchParams.get("datasetId") ?? undefined);
  if (!datasetId.success) throw new AppError("BAD_INPUT", "Invalid dataset id");
  return { projectId, datasetId: datasetId.data };
}

const settingsVersionSchema = z.coerce.number().int().min(0).max(1_000_000).optional();

/** `?settingsVersion=` (absent: the project's current settings). */
function settingsVersionOf(request: Request): number | undefined {
  const raw = new URL(request.url).searchParams.get("settingsVersion") ?? undefined;
  const version = settingsVersionSchema.safeParse(raw);
  if (!version.success) throw new AppError("BAD_INPUT", "settingsVersion must be a whole number >= 0");
  return version.data;
}

/** The objects source of an objects export (before the body starts, so a bad one is a 400); none for the others. */
async function objectsSourceOf(request: Request, kind: ExportKind) {
  const query = new URL(request.url).searchParams;
  if (kind === "objects.csv" || kind === "objects.coco.json") return resolveObjectsSource(objectsSourceQuery(query));
  if (namesObjectsSource(query)) {
    throw new AppError("BAD_INPUT", "objects, samModel and the SAM 2 parameters apply to the objects exports only");
  }
  return undefined;
}

export const GET = projectRoute({
  minimum: "VIEWER",
  params: z.object({
    projectId: idSchema,
    kind: z.enum(Object.keys(EXPORT_KINDS) as [ExportKind, ...ExportKind[]]),
  }),
  notFound: "Unknown export",
  handler: async ({ request, db, blobs, params }) => {
    const scope = scopeOf(request, params.projectId);
    const { name } = await assertExportScope({ db, scope });
    const settings = await getProjectSettings({ db, projectId: params.projectId, version: settingsVersionOf(request) });
    const reported = { db, blobs, scope, settings: { id: settings.id, version: settings.version } };
    const objects = await objectsSourceOf(request, params.kind);
    const body =
      params.kind === "results.csv"
        ? streamResultsCsv(reported)
        : params.kind === "objects.csv"
          ? streamObjectsCsv({ ...reported, objects })
          : params.kind === "objects.coco.json"
            ? streamObjectsCoco({ ...reported, objects })
            : params.kind === "annotations.coco.json"
              ? streamCocoJson({ db, scope })
              : streamOverlaysZip(reported);
    const fileName = `${safeSegment(name)}-${EXPORT_KINDS[params.kind].suffix}`;
    return new Response(readableFromGenerator(body), {
      status: 200,
      headers: {
        "Content-Type": EXPORT_KINDS[params.kind].contentType,
        "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`,
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
        // The settings version the results come from (the rows name it too).
        "X-Settings-Version": String(settings.version),
      },
    });
  },
});

export const POST = projectRoute({
  // The wrapper checks the role before the body is read: a non-member cannot make the server buffer a large body.
  minimum: "EDITOR",
  params: z.object({ projectId: idSchema, kind: z.literal("annotations.coco.json") }),
  notFound: "Only COCO annotations can be imported",
  contentType: "application/json",
  handler: async ({ request, db, blobs, params, user }) => {
    const scope = scopeOf(request, params.projectId);
    await assertExportScope({ db, scope });
    const mode = new URL(request.url).searchParams.get("mode") ?? DEFAULT_COCO_IMPORT_MODE;
    if (!isCocoImportMode(mode)) throw new AppError("BAD_INPUT", 'mode must be "merge" or "replace"');
    const bytes = await readCocoUpload(request);
    const started = await startCocoImport({
      db,
      store: blobs,
      projectId: scope.projectId,
      datasetId: scope.datasetId,
      mode,
      actorId: user.id,
      bytes,
    });
    return Response.json(started, { status: started.alreadyRunning ? 200 : 202 });
  },
});
