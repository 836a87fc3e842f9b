/**
 * What every job start does after queueing, inside the same transaction: the audit record and
 * the live "job-run.updated" event, so the jobs panel and the audit log can never disagree.
 */
import "server-only";
import type { JobRun, Prisma } from "~/generated/prisma/client";
import { recordAuditEvent } from "~/server/audit/record-audit-event";
import { projectChannel, publishEvent } from "~/server/events";
import { jobRunUpdatedEvent } from "./job-run-records";

export async function announceJobStart(
  tx: Prisma.TransactionClient,
  run: JobRun,
  actorId: string,
  details: Record<string, Prisma.InputJsonValue | null>,
): Promise<void> {
  await recordAuditEvent({
    db: tx,
    projectId: run.projectId,
    actorId,
    action: "job.start",
    targetType: "JobRun",
    targetId: run.id,
    data: { type: run.type, ...details },
  });
  await publishEvent({ db: tx, channel: projectChannel(run.projectId), event: jobRunUpdatedEvent(run) });
}
