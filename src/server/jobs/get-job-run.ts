import "server-only";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { toJobRunViews, type JobRunView } from "./job-run-view";

/** One run of the project with every failure and its reason. */
export async function getJobRun(options: { db: Db; projectId: string; jobRunId: string }): Promise<JobRunView> {
  const run = await options.db.jobRun.findFirst({
    where: { id: options.jobRunId, projectId: options.projectId },
  });
  if (!run) throw new AppError("NOT_FOUND", "Job not found");
  const [view] = await toJobRunViews({ db: options.db, runs: [run], failureLimit: Number.MAX_SAFE_INTEGER });
  return view!;
}
