/** The DTO of a JobRun for the UI (jobs panel, dataset progress). */
import "server-only";
import type { JobRun } from "~/generated/prisma/client";
import type { Db } from "~/server/db";
import { importCocoRunPayloadSchema } from "./definitions/import-coco";
import { datasetIdOf, parseFailures, type JobRunFailure } from "./job-run-records";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** "Imported 3 regions; skipped 2 identical to existing ones" for a finished COCO import. */
function outcomeOf(run: Pick<JobRun, "type" | "payload">): string | null {
  if (run.type !== "import-coco") return null;
  const result = importCocoRunPayloadSchema.safeParse(run.payload).data?.result;
  if (!result) return null;
  const parts = [`Imported ${plural(result.regionsCreated, "region")}`];
  if (result.mode === "replace")
    parts.push(`removed ${plural(result.regionsRemoved, "region")} of the file's images first`);
  if (result.regionsSkippedIdentical > 0)
    parts.push(`skipped ${plural(result.regionsSkippedIdentical, "region")} identical to existing ones`);
  if (result.unmatchedImages.length > 0) parts.push(`${plural(result.unmatchedImages.length, "image")} not found`);
  for (const skipped of result.skippedAnnotations) parts.push(`skipped ${skipped.count}: ${skipped.reason}`);
  return parts.join("; ");
}

export type JobRunView = {
  id: string;
  type: string;
  status: JobRun["status"];
  progressDone: number;
  progressTotal: number;
  failedCount: number;
  /** The failed items with their reasons (at most `failureLimit` of them; failedCount has the total). */
  failures: JobRunFailure[];
  error: string | null;
  /** What a finished run did, in a sentence, for runs that report it (a COCO import); else null. */
  outcome: string | null;
  datasetId: string | null;
  datasetName: string | null;
  createdBy: { id: string; name: string | null } | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
};

/** Maps runs to views, resolving the names of their starters and datasets in two queries. */
export async function toJobRunViews(options: { db: Db; runs: JobRun[]; failureLimit: number }): Promise<JobRunView[]> {
  const { db, runs } = options;
  const userIds = [...new Set(runs.map((r) => r.createdById).filter((id): id is string => id !== null))];
  const datasetIds = [...new Set(runs.map(datasetIdOf).filter((id): id is string => id !== null))];
  const [users, datasets] = await Promise.all([
    userIds.length
      ? db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true, email: true } })
      : [],
    datasetIds.length
      ? db.dataset.findMany({ where: { id: { in: datasetIds } }, select: { id: true, name: true } })
      : [],
  ]);
  const userById = new Map(users.map((u) => [u.id, { id: u.id, name: u.name ?? u.email }]));
  const datasetById = new Map(datasets.map((d) => [d.id, d.name]));
  return runs.map((run) => {
    const datasetId = datasetIdOf(run);
    return {
      id: run.id,
      type: run.type,
      status: run.status,
      progressDone: run.progressDone,
      progressTotal: run.progressTotal,
      failedCount: run.failedCount,
      failures: parseFailures(run.failures).slice(0, options.failureLimit),
      error: run.error,
      outcome: outcomeOf(run),
      datasetId,
      datasetName: datasetId ? (datasetById.get(datasetId) ?? null) : null,
      createdBy: run.createdById ? (userById.get(run.createdById) ?? { id: run.createdById, name: null }) : null,
      createdAt: run.createdAt,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
    };
  });
}
