/**
 * import-coco: import a COCO annotation file (stored in the blob store by the import route) into
 * a project's (or a dataset's) images in the background. The handler validates the whole
 * document first, then writes the regions in batches with progress; see import-coco.handler.ts.
 */
import "server-only";
import { z } from "zod";
import { COCO_IMPORT_MODES, DEFAULT_COCO_IMPORT_MODE } from "~/core/coco-import-modes";
import { blobKeySchema } from "~/server/storage/blob-keys";
import { defineJob } from "./job-definition";

const importCocoFields = {
  /** The uploaded document in the blob store. */
  blobKey: blobKeySchema,
  /** Only this dataset's images; absent: the whole project's. */
  datasetId: z.string().min(1).optional(),
  /**
   * merge: skip regions identical to one the image already has (core/regions/region-identity);
   * replace: first remove every region of the images the file names, then import. Absent: merge.
   */
  mode: z.enum(COCO_IMPORT_MODES).default(DEFAULT_COCO_IMPORT_MODE),
};

/** JobRun.payload of a COCO import: what was uploaded, its phase, how far it got, and the result. */
export const importCocoRunPayloadSchema = z.object({
  ...importCocoFields,
  /** Size of the uploaded document in bytes. */
  bytes: z.number().int().nonnegative().optional(),
  phase: z.enum(["queued", "validating", "writing", "done"]).default("queued"),
  /**
   * Regions already committed (batches commit with this count): an attempt after a worker died
   * resumes after them instead of writing them twice.
   */
  regionsWritten: z.number().int().nonnegative().default(0),
  /** Of regionsWritten, those skipped as identical to an existing region (merge). */
  regionsSkipped: z.number().int().nonnegative().default(0),
  /** Regions removed from the file's images before writing (replace). */
  regionsRemoved: z.number().int().nonnegative().default(0),
  result: z
    .object({
      matchedImages: z.number().int(),
      unmatchedImages: z.array(z.string()),
      regionsCreated: z.number().int(),
      mode: z.enum(COCO_IMPORT_MODES).default(DEFAULT_COCO_IMPORT_MODE),
      regionsSkippedIdentical: z.number().int().default(0),
      regionsRemoved: z.number().int().default(0),
      labelsSet: z.number().int(),
      labelClassesCreated: z.array(z.string()),
      skippedAnnotations: z.array(z.object({ reason: z.string(), count: z.number().int() })),
    })
    .optional(),
});
export type ImportCocoRunPayload = z.infer<typeof importCocoRunPayloadSchema>;

export const importCocoJob = defineJob({
  id: "import-coco",
  version: 1,
  payload: z.object(importCocoFields),
  runPayload: importCocoRunPayloadSchema,
  queue: { retryLimit: 2, expireInSeconds: 1800 },
});
export type ImportCocoPayload = z.infer<typeof importCocoJob.payloadSchema>;
