/**
 * The persisted JSON of a JobRun (`payload`, `failures`) and the event that announces a change.
 * Persisted names: add fields, do not rename.
 */
import "server-only";
import { z } from "zod";
import type { JobRun } from "~/generated/prisma/client";
import type { JobRunUpdatedEvent } from "~/server/events";
import { analyseDatasetJob, analyseImageJob } from "./definitions";

/** JobRun.type values of analysis runs (equal to the queue names of their jobs). */
export const JOB_RUN_TYPES = {
  analyseDataset: analyseDatasetJob.id,
  analyseImage: analyseImageJob.id,
} as const;

// The analysis run payload is declared with its job definitions; re-exported for its readers here.
export { analysisRunPayloadSchema, type AnalysisRunPayload } from "./definitions";

/** One entry of JobRun.failures. */
export const jobRunFailureSchema = z.object({
  imageId: z.string(),
  fileName: z.string().nullable(),
  reason: z.string(),
  at: z.string(),
});
export type JobRunFailure = z.infer<typeof jobRunFailureSchema>;

export function parseFailures(json: unknown): JobRunFailure[] {
  const parsed = z.array(jobRunFailureSchema).safeParse(json);
  return parsed.success ? parsed.data : [];
}

/** The dataset of a run, when its payload names one. */
export function datasetIdOf(run: Pick<JobRun, "payload">): string | null {
  const parsed = z.object({ datasetId: z.string() }).safeParse(run.payload);
  return parsed.success ? parsed.data.datasetId : null;
}

export function jobRunUpdatedEvent(run: JobRun): JobRunUpdatedEvent {
  return {
    type: "job-run.updated",
    projectId: run.projectId,
    jobRunId: run.id,
    jobType: run.type,
    datasetId: datasetIdOf(run),
    status: run.status,
    progressDone: run.progressDone,
    progressTotal: run.progressTotal,
    failedCount: run.failedCount,
  };
}
