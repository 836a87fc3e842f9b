import type { Db } from "~/server/db";
import { recordAuditEvent } from "~/server/audit/record-audit-event";
import { AppError } from "~/server/errors";

export async function deleteLabelClass(options: {
  db: Db;
  projectId: string;
  actorId: string;
  labelClassId: string;
}) {
  const deleted = await options.db.labelClass.deleteMany({
    where: { id: options.labelClassId, projectId: options.projectId },
  });
  if (deleted.count === 0) throw new AppError("NOT_FOUND", "Label class not found");
  await recordAuditEvent({
    db: options.db,
    projectId: options.projectId,
    actorId: options.actorId,
    action: "labelClass.delete",
    targetType: "LabelClass",
    targetId: options.labelClassId,
  });
}
