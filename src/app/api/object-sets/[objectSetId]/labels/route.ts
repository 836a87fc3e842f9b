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
import { contentAddressedEtag, serveBlob } from "~/server/http/serve-blob";
import { unsafeFindObjectSetLabels } from "~/server/objects/find-object-set";

export const runtime = "nodejs";

/** Immutable content, but private: revalidation after a day re-runs the membership check. */
const CACHE_CONTROL = "private, max-age=86400";

export const GET = projectRoute({
  minimum: "VIEWER",
  params: z.object({ objectSetId: idSchema }),
  notFound: "Object set not found",
  resolveTarget: ({ db, params }) => unsafeFindObjectSetLabels({ db, objectSetId: params.objectSetId }),
  handler: ({ request, blobs, target }) =>
    serveBlob(request, {
      blobs,
      etag: contentAddressedEtag(target.blobKey),
      cacheControl: CACHE_CONTROL,
      content: async () => ({ blobKey: target.blobKey, contentType: "image/png" }),
    }),
});
