import type { Db } from "~/server/db";
import { recordAuditEvent } from "~/server/audit/record-audit-event";
import { AppError, isUniqueViolation } from "~/server/errors";

export async function createDataset(options: {
  db: Db;
  projectId: string;
  actorId: string;
  name: string;
  description?: string;
}) {
  try {
    const dataset = await options.db.dataset.create({
      data: {
        projectId: options.projectId,
        name: options.name,
        description: options.description ?? "",
        createdById: options.actorId,
      },
    });
    await recordAuditEvent({
      db: options.db,
      projectId: options.projectId,
      actorId: options.actorId,
      action: "dataset.create",
      targetType: "Dataset",
      targetId: dataset.id,
    });
    return dataset;
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("CONFLICT", `A dataset named "${options.name}" already exists here`);
    }
    throw error;
  }
}
