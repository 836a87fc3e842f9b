import "server-only";
import type { Prisma } from "~/generated/prisma/client";
import { assertDatasetInProject } from "~/server/datasets/assert-dataset-in-project";
import type { Db } from "~/server/db";
import { JOB_RUN_TYPES } from "./job-run-records";
import { toJobRunViews, type JobRunView } from "./job-run-view";

/**
 * The project's most recent runs, newest first. With `datasetId`: only that dataset's dataset
 * runs (what a dataset's progress bar shows).
 */
export async function listJobRuns(options: {
  db: Db;
  projectId: string;
  datasetId?: string;
  /** @default 20 */
  limit?: number;
}): Promise<JobRunView[]> {
  const where: Prisma.JobRunWhereInput = { projectId: options.projectId };
  if (options.datasetId) {
    await assertDatasetInProject({ db: options.db, projectId: options.projectId, datasetId: options.datasetId });
    where.type = JOB_RUN_TYPES.analyseDataset;
    where.payload = { path: ["datasetId"], equals: options.datasetId };
  }
  const runs = await options.db.jobRun.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: options.limit ?? 20,
  });
  return toJobRunViews({ db: options.db, runs, failureLimit: 20 });
}
