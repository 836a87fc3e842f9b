import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/server/db";
import type { AuditAction } from "./audit-actions";

type Tx = Db | Prisma.TransactionClient;

/**
 * Writes one AuditEvent row. Services call `recordChange` (record-change.ts), which writes this
 * row and the live event in the caller's transaction; this is its implementation.
 *
 * @deprecated outside src/server/audit: use `recordChange`.
 */
export async function recordAuditEvent(options: {
  db: Tx;
  projectId: string | null;
  actorId: string | null;
  action: AuditAction;
  targetType: string;
  targetId?: string | null;
  data?: Prisma.InputJsonValue;
}): Promise<void> {
  await options.db.auditEvent.create({
    data: {
      projectId: options.projectId,
      actorId: options.actorId,
      action: options.action,
      targetType: options.targetType,
      targetId: options.targetId ?? null,
      data: options.data ?? {},
    },
  });
}
