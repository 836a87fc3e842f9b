/**
 * THE way a service records a change to a project: the audit row and (optionally) the live event
 * on the project's channel, written with the same transaction client as the change itself.
 *
 *     await db.$transaction(async (tx) => {
 *       const row = await tx.dataset.create({ ... });
 *       await recordChange(tx, { projectId, actorId, action: "dataset.create", target: { type: "Dataset", id: row.id } });
 *       return row;
 *     });
 *
 * Because the event is a pg_notify inside the transaction, Postgres delivers it only on commit:
 * a change that rolls back leaves neither an audit row nor an event that announced it, and a
 * change that commits always has both.
 */
import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { projectChannel, publishEvent, type AppEvent } from "~/server/events";
import type { AuditAction } from "./audit-actions";

export type ChangeTarget = {
  /** The kind of row changed (the Prisma model name: "Dataset", "Region", "JobRun"…). */
  type: string;
  /** null when the change has no single row (a batch of images, a whole import). */
  id: string | null;
};

export type Change = {
  projectId: string;
  /** null for changes no person made (none today; kept for system jobs). */
  actorId: string | null;
  action: AuditAction;
  target: ChangeTarget;
  /** What the activity log and auditors need: ids and counts, not rows. */
  data?: Prisma.InputJsonValue;
  /** The live event for subscribers of the project, when the change has one. */
  event?: AppEvent;
};

/**
 * Records `change` inside the transaction `tx`. Call it from a transaction callback (or with a
 * client whose single statement is the change): the point is that it commits or rolls back with
 * the change. Throws RangeError for an event that breaks its schema (nothing is then committed).
 */
export async function recordChange(tx: Prisma.TransactionClient, change: Change): Promise<void> {
  if (change.event && change.event.projectId !== change.projectId) {
    // Subscribers are authorised per project channel: an event about another project must never
    // travel on this one.
    throw new RangeError(
      `event of project ${change.event.projectId} recorded with a change of project ${change.projectId}`,
    );
  }
  await tx.auditEvent.create({
    data: {
      projectId: change.projectId,
      actorId: change.actorId,
      action: change.action,
      targetType: change.target.type,
      targetId: change.target.id,
      data: change.data ?? {},
    },
  });
  if (change.event) {
    await publishEvent({ db: tx, channel: projectChannel(change.projectId), event: change.event });
  }
}

/** Who changes which project: what every mutating project service receives. */
export type ProjectChangeScope = { db: Db; projectId: string; actorId: string };

type ChangeRecord<T> = {
  action: AuditAction;
  /** The changed row, or how to find it in the change's result (e.g. a created row's id). */
  target: ChangeTarget | ((result: T) => ChangeTarget);
  data?: Prisma.InputJsonValue | ((result: T) => Prisma.InputJsonValue);
  event?: (result: T) => AppEvent;
};

/**
 * The usual shape of a mutating service: `change` and its record in one transaction.
 *
 *     await changeProject(options, { action: "dataset.delete", target: { type: "Dataset", id } }, (tx) => ...);
 */
export async function changeProject<T>(
  scope: ProjectChangeScope,
  record: ChangeRecord<T>,
  change: (tx: Prisma.TransactionClient) => Promise<T>,
): Promise<T> {
  return scope.db.$transaction(async (tx) => {
    const result = await change(tx);
    await recordChange(tx, {
      projectId: scope.projectId,
      actorId: scope.actorId,
      action: record.action,
      target: typeof record.target === "function" ? record.target(result) : record.target,
      data: typeof record.data === "function" ? record.data(result) : record.data,
      event: record.event?.(result),
    });
    return result;
  });
}

/** NOT_FOUND unless a scoped updateMany / deleteMany touched a row (the row is not the caller's). */
export function assertTouched(result: { count: number }, notFoundMessage: string): void {
  if (result.count === 0) throw new AppError("NOT_FOUND", notFoundMessage);
}
