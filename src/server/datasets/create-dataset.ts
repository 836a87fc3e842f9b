import type { Db } from "~/server/db";
import { recordChange } from "~/server/audit/record-change";
import { AppError, isUniqueViolation } from "~/server/errors";

export async function createDataset(options: {
  db: Db;
  projectId: string;
  actorId: string;
  name: string;
  description?: string;
}) {
  try {
    return await options.db.$transaction(async (tx) => {
      const dataset = await tx.dataset.create({
        data: {
          projectId: options.projectId,
          name: options.name,
          description: options.description ?? "",
          createdById: options.actorId,
        },
      });
      await recordChange(tx, {
        projectId: options.projectId,
        actorId: options.actorId,
        action: "dataset.create",
        target: { type: "Dataset", id: dataset.id },
        data: { name: dataset.name },
      });
      return dataset;
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("CONFLICT", `A dataset named "${options.name}" already exists here`);
    }
    throw error;
  }
}
