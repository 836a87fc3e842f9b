import type { Db } from "~/server/db";
import { recordChange } from "~/server/audit/record-change";
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
    const id = await options.db.$transaction(async (tx) => {
      let saved = options.labelClassId;
      if (saved) {
        const updated = await tx.labelClass.updateMany({
          where: { id: saved, projectId: options.projectId },
          data: { name: options.name, color: options.color },
        });
        if (updated.count === 0) throw new AppError("NOT_FOUND", "Label class not found");
      } else {
        const position = await tx.labelClass.count({ where: { projectId: options.projectId } });
        saved = (
          await tx.labelClass.create({
            data: { projectId: options.projectId, name: options.name, color: options.color, position },
          })
        ).id;
      }
      await recordChange(tx, {
        projectId: options.projectId,
        actorId: options.actorId,
        action: options.labelClassId ? "labelClass.update" : "labelClass.create",
        target: { type: "LabelClass", id: saved },
        data: { name: options.name, color: options.color },
      });
      return saved;
    });
    return { id, name: options.name, color: options.color };
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("CONFLICT", `A label class named "${options.name}" already exists`);
    }
    throw error;
  }
}
