import type { Db } from "~/server/db";
import { recordChange } from "~/server/audit/record-change";
import { AppError } from "~/server/errors";

export async function deleteDataset(options: {
  db: Db;
  projectId: string;
  actorId: string;
  datasetId: string;
}) {
  await options.db.$transaction(async (tx) => {
    const deleted = await tx.dataset.deleteMany({
      where: { id: options.datasetId, projectId: options.projectId },
    });
    if (deleted.count === 0) throw new AppError("NOT_FOUND", "Dataset not found");
    await recordChange(tx, {
      projectId: options.projectId,
      actorId: options.actorId,
      action: "dataset.delete",
      target: { type: "Dataset", id: options.datasetId },
    });
  });
}
