/**
 * export: write a project's (or a dataset's) overlays zip into the blob store in the background,
 * with progress per image; the JobRun's payload then holds the blob key, served by
 * GET /api/projects/:projectId/exports/jobs/:jobRunId.
 */
import "server-only";
import { z } from "zod";
import { defineJob } from "./job-definition";

/** What an export job can write (the streamed exports of src/server/exports/). */
export const EXPORT_JOB_KINDS = ["overlays.zip"] as const;

const exportFields = {
  kind: z.enum(EXPORT_JOB_KINDS),
  /** Only this dataset; absent: the whole project. */
  datasetId: z.string().min(1).optional(),
  /** The settings version whose results it exports (src/server/settings), pinned at the start. */
  settings: z
    .object({ id: z.string().min(1).nullable(), version: z.number().int().min(0) })
    .default({ id: null, version: 0 }),
};

/** JobRun.payload of an export: what was asked for, its phase, and the file once it is written. */
export const exportRunPayloadSchema = z.object({
  ...exportFields,
  phase: z.enum(["queued", "writing", "done"]).default("queued"),
  blobKey: z
    .string()
    .regex(/^sha256\/[0-9a-f]{64}$/)
    .optional(),
  fileName: z.string().min(1).optional(),
  bytes: z.number().int().nonnegative().optional(),
  images: z.number().int().nonnegative().optional(),
});
export type ExportRunPayload = z.infer<typeof exportRunPayloadSchema>;

export const exportJob = defineJob({
  id: "export",
  version: 1,
  payload: z.object(exportFields),
  runPayload: exportRunPayloadSchema,
  queue: { retryLimit: 2, expireInSeconds: 3600 },
});
export type ExportPayload = z.infer<typeof exportJob.payloadSchema>;
