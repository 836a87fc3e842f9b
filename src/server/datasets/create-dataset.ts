import type { Dataset } from "~/generated/prisma/client";
import { changeProject, type ProjectChangeScope } from "~/server/audit/record-change";
import { AppError, isUniqueViolation } from "~/server/errors";

export async function createDataset(options: ProjectChangeScope & { name: string; description?: string }) {
  const record = {
    action: "dataset.create",
    target: (dataset: Dataset) => ({ type: "Dataset", id: dataset.id }),
    data: (dataset: Dataset) => ({ name: dataset.name }),
  } as const;
  try {
    return await changeProject(options, record, (tx) =>
      tx.dataset.create({
        data: {
          projectId: options.projectId,
          name: options.name,
          description: options.description ?? "",
          createdById: options.actorId,
        },
      }),
    );
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("CONFLICT", `A dataset named "${options.name}" already exists here`);
    }
    throw error;
  }
}
