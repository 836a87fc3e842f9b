import { changeProject, type ProjectChangeScope } from "~/server/audit/record-change";
import { AppError, isUniqueViolation } from "~/server/errors";

/** Renames a dataset of the project (CONFLICT when another dataset has the name). */
export async function renameDataset(options: ProjectChangeScope & { datasetId: string; name: string }) {
  const { datasetId, name } = options;
  try {
    return await changeProject(
      options,
      { action: "dataset.rename", target: { type: "Dataset", id: datasetId }, data: { name } },
      async (tx) => {
        const dataset = await tx.dataset.findFirst({ where: { id: datasetId, projectId: options.projectId } });
        if (!dataset) throw new AppError("NOT_FOUND", "Dataset not found");
        return tx.dataset.update({ where: { id: datasetId }, data: { name }, select: { id: true, name: true } });
      },
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", `A dataset named "${name}" already exists here`);
    throw error;
  }
}
