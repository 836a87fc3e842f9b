/**
 * Starts an export as a background job (large projects: the download then does not hold a
 * request open for minutes). Any member may export (the streamed exports are VIEWER too). While
 * the same export (kind + scope) is queued or running, starting again returns that run.
 */
import "server-only";
import type { Db } from "~/server/db";
import { assertExportScope } from "~/server/exports/export-scope";
import { getProjectSettings } from "~/server/settings/project-settings";
import { exportJob, type ExportPayload } from "./definitions";
import type { JobQueue } from "./queue";
import { startJobRun, type StartedJobRun } from "./start-job-run";

export async function startExport(options: {
  db: Db;
  projectId: string;
  actorId: string;
  kind: ExportPayload["kind"];
  datasetId?: string;
  queue?: JobQueue;
}): Promise<StartedJobRun> {
  const { db, projectId, datasetId, kind } = options;
  await assertExportScope({ db, scope: { projectId, datasetId } });
  const current = await getProjectSettings({ db, projectId });
  const settings = { id: current.id, version: current.version };
  return startJobRun({
    db,
    job: exportJob,
    projectId,
    actorId: options.actorId,
    payload: { kind, ...(datasetId ? { datasetId } : {}), settings },
    isSameRun: (active) => active.kind === kind && active.datasetId === datasetId && active.settings.id === settings.id,
    auditData: { kind, datasetId: datasetId ?? null },
    queue: options.queue,
  });
}
