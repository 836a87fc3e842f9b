import type { Db } from "~/server/db";
import { recordChange } from "~/server/audit/record-change";
import { AppError } from "~/server/errors";

export async function deleteLabelClass(options: {
  db: Db;
  projectId: string;
  actorId: string;
  labelClassId: string;
}) {
  await options.db.$transaction(async (tx) => {
    const deleted = await tx.labelClass.deleteMany({
      where: { id: options.labelClassId, projectId: options.projectId },
    });
    if (deleted.count === 0) throw new AppError("NOT_FOUND", "Label class not found");
    await recordChange(tx, {
      projectId: options.projectId,
      actorId: options.actorId,
      action: "labelClass.delete",
      target: { type: "LabelClass", id: options.labelClassId },
    });
  });
}
