import "server-only";
import { DATASET_ANALYSIS_RUN_TYPES, DATASET_SAM2_RUN_TYPES } from "~/core/dataset-run-types";
import { Prisma } from "~/generated/prisma/client";
import { assertDatasetInProject } from "~/server/datasets/assert-dataset-in-project";
import type { Db } from "~/server/db";
import { toJobRunViews, type JobRunView } from "./job-run-view";

/**
 * The project's most recent runs, newest first. With `datasetId`: only that dataset's own runs,
 * over the whole dataset (what its progress panels show): analysis runs and SAM 2 runs, but not
 * a SAM 2 run of one of its images (the workspace follows those; they would crowd the list).
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
    where.payload = { path: ["datasetId"], equals: options.datasetId };
    where.OR = [
      { type: { in: [...DATASET_ANALYSIS_RUN_TYPES] } },
      // A missing key reads as SQL NULL, which AnyNull matches: runs without an imageId.
      { type: { in: [...DATASET_SAM2_RUN_TYPES] }, AND: { payload: { path: ["imageId"], equals: Prisma.AnyNull } } },
    ];
  }
  const runs = await options.db.jobRun.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: options.limit ?? 20,
  });
  return toJobRunViews({ db: options.db, runs, failureLimit: 20 });
}
