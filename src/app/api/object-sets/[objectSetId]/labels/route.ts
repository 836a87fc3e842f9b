/**
 * GET /api/object-sets/:objectSetId/labels: the label map of an object set, for project members
 * (any role), as an 8-bit RGBA PNG the size of the label map (ObjectSetDto.width x height):
 *   label = R + 256 * G + 65536 * B (0 = background), A = 255 on objects and 0 on the background.
 * See src/server/objects/object-set-labels.ts for why and how to read it. Missing object sets and
 * those of projects the caller cannot see answer 404. Content-addressed: the ETag is the blob's
 * sha256 and it never changes.
 */
import { z } from "zod";
import { idSchema } from "~/core/schemas";
import { projectRoute } from "~/server/http/project-route";
import { serveStoredPng } from "~/server/http/serve-stored-png";
import { unsafeFindObjectSetLabels } from "~/server/objects/find-object-set";

export const runtime = "nodejs";

export const GET = projectRoute({
  minimum: "VIEWER",
  params: z.object({ objectSetId: idSchema }),
  notFound: "Object set not found",
  resolveTarget: ({ db, params }) => unsafeFindObjectSetLabels({ db, objectSetId: params.objectSetId }),
  handler: ({ request, blobs, target }) => serveStoredPng(request, blobs, target.blobKey),
});
