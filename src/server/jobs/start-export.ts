/**
 * Starts an export as a background job (large projects: the download then does not hold a
 * request open for minutes). Any member may export (the streamed exports are VIEWER too). While
 * the same export (kind + scope) is queued or running, starting again returns that run.
 */
import "server-only";
import type { Db } from "~/server/db";
import { assertExportScope } from "~/server/exports/export-scope";
import { exportJob, type ExportPayload } from "./definitions";
import { announceJobStart } from "./announce-job-start";
import { jobQueue, type JobQueue } from "./queue";

export async function startExport(options: {
  db: Db;
  projectId: string;
  actorId: string;
  kind: ExportPayload["kind"];
  datasetId?: string;
  queue?: JobQueue;
}): Promise<{ jobRunId: string; alreadyRunning: boolean }> {
  const { db, projectId, datasetId, kind } = options;
  await assertExportScope({ db, scope: { projectId, datasetId } });
  const queue = options.queue ?? (await jobQueue());
  return db.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${`export:${projectId}`}))::text`;
      const active = await tx.jobRun.findMany({
        where: {
          projectId,
          type: exportJob.id,
          status: { in: ["QUEUED", "RUNNING"] },
          payload: { path: ["kind"], equals: kind },
        },
        select: { id: true, payload: true },
      });
      const same = active.find(
        (run) => ((run.payload as { datasetId?: string } | null)?.datasetId ?? undefined) === datasetId,
      );
      if (same) return { jobRunId: same.id, alreadyRunning: true };

      const run = await tx.jobRun.create({
        data: {
          projectId,
          type: exportJob.id,
          status: "QUEUED",
          payload: { kind, ...(datasetId ? { datasetId } : {}), phase: "queued" },
          createdById: options.actorId,
        },
      });
      await queue.send(
        exportJob,
        { version: 1, jobRunId: run.id, projectId, kind, ...(datasetId ? { datasetId } : {}) },
        { tx },
      );
      await announceJobStart(tx, run, options.actorId, { kind, datasetId: datasetId ?? null });
      return { jobRunId: run.id, alreadyRunning: false };
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
}
