/**
 * export: write a project's (or a dataset's) overlays zip into the blob store in the background,
 * with progress per image; the JobRun's payload then holds the blob key, served by
 * GET /api/projects/:projectId/exports/jobs/:jobRunId.
 */
import "server-only";
import { z } from "zod";
import type { JobDefinition } from "./job-definition";

/** What an export job can write (the streamed exports of src/server/exports/). */
export const EXPORT_JOB_KINDS = ["overlays.zip"] as const;

export const exportPayloadSchema = z.object({
  version: z.literal(1),
  jobRunId: z.string().min(1),
  projectId: z.string().min(1),
  kind: z.enum(EXPORT_JOB_KINDS),
  datasetId: z.string().min(1).optional(),
});
export type ExportPayload = z.infer<typeof exportPayloadSchema>;

export const exportJob = {
  id: "export",
  version: 1,
  payloadSchema: exportPayloadSchema,
  queue: { retryLimit: 2, expireInSeconds: 3600 },
} as const satisfies JobDefinition<ExportPayload>;
