import "server-only";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { exportJob } from "./definitions";

export type ExportDownload = { blobKey: string; fileName: string; bytes: number };

/** The file of a finished export job of the project; NOT_FOUND for other runs, CONFLICT until it is done. */
export async function findExportDownload(options: {
  db: Db;
  projectId: string;
  jobRunId: string;
}): Promise<ExportDownload> {
  const run = await options.db.jobRun.findFirst({
    where: { id: options.jobRunId, projectId: options.projectId, type: exportJob.id },
    select: { status: true, payload: true },
  });
  if (!run) throw new AppError("NOT_FOUND", "Export not found");
  if (run.status !== "SUCCEEDED")
    throw new AppError("CONFLICT", `The export is not ready (${run.status.toLowerCase()})`);
  const payload = exportJob.runPayloadSchema.safeParse(run.payload);
  if (!payload.success) throw new AppError("NOT_FOUND", "Export not found");
  const { blobKey, fileName, bytes } = payload.data;
  // A run that succeeded always names its file; one that does not has nothing to download.
  if (blobKey === undefined || fileName === undefined || bytes === undefined)
    throw new AppError("NOT_FOUND", "Export not found");
  return { blobKey, fileName, bytes };
}
