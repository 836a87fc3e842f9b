import "server-only";
import { z } from "zod";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { exportJob } from "./definitions";

const finishedExportSchema = z.object({
  blobKey: z.string().regex(/^sha256\/[0-9a-f]{64}$/),
  fileName: z.string().min(1),
  bytes: z.number().int().nonnegative(),
});

/** The file of a finished export job of the project; NOT_FOUND for other runs, CONFLICT until it is done. */
export async function findExportDownload(options: {
  db: Db;
  projectId: string;
  jobRunId: string;
}): Promise<z.infer<typeof finishedExportSchema>> {
  const run = await options.db.jobRun.findFirst({
    where: { id: options.jobRunId, projectId: options.projectId, type: exportJob.id },
    select: { status: true, payload: true },
  });
  if (!run) throw new AppError("NOT_FOUND", "Export not found");
  if (run.status !== "SUCCEEDED")
    throw new AppError("CONFLICT", `The export is not ready (${run.status.toLowerCase()})`);
  const file = finishedExportSchema.safeParse(run.payload);
  if (!file.success) throw new AppError("NOT_FOUND", "Export not found");
  return file.data;
}
