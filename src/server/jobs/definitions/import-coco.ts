/**
 * import-coco: import a COCO annotation file (stored in the blob store by the import route) into
 * a project's (or a dataset's) images in the background. The handler validates the whole
 * document first, then writes the regions in batches with progress; see import-coco.handler.ts.
 */
import "server-only";
import { z } from "zod";
import { blobKeySchema } from "~/server/storage/blob-keys";
import { defineJob } from "./job-definition";

const importCocoFields = {
  /** The uploaded document in the blob store. */
  blobKey: blobKeySchema,
  /** Only this dataset's images; absent: the whole project's. */
  datasetId: z.string().min(1).optional(),
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
  result: z
    .object({
      matchedImages: z.number().int(),
      unmatchedImages: z.array(z.string()),
      regionsCreated: z.number().int(),
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
