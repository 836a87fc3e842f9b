import type { Db } from "~/server/db";
import { recordAuditEvent } from "~/server/audit/record-audit-event";
import { AppError, isUniqueViolation } from "~/server/errors";

/** Creates a label class, or updates it when `labelClassId` is given. */
export async function saveLabelClass(options: {
  db: Db;
  projectId: string;
  actorId: string;
  labelClassId?: string;
  name: string;
  color: string;
}) {
  try {
    let id = options.labelClassId;
    if (id) {
      const updated = await options.db.labelClass.updateMany({
        where: { id, projectId: options.projectId },
        data: { name: options.name, color: options.color },
      });
      if (updated.count === 0) throw new AppError("NOT_FOUND", "Label class not found");
    } else {
      const position = await options.db.labelClass.count({ where: { projectId: options.projectId } });
      id = (
        await options.db.labelClass.create({
          data: { projectId: options.projectId, name: options.name, color: options.color, position },
        })
      ).id;
    }
    await recordAuditEvent({
      db: options.db,
      projectId: options.projectId,
      actorId: options.actorId,
      action: options.labelClassId ? "labelClass.update" : "labelClass.create",
      targetType: "LabelClass",
      targetId: id,
      data: { name: options.name, color: options.color },
    });
    return { id, name: options.name, color: options.color };
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("CONFLICT", `A label class named "${options.name}" already exists`);
    }
    throw error;
  }
}
