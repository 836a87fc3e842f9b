import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/server/db";

type Tx = Db | Prisma.TransactionClient;

export async function recordAuditEvent(options: {
  db: Tx;
  projectId: string | null;
  actorId: string | null;
  action: string;
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
