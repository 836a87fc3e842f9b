import type { Db } from "~/server/db";
import { recordAuditEvent } from "~/server/audit/record-audit-event";
import { AppError } from "~/server/errors";

export async function deleteDataset(options: {
  db: Db;
  projectId: string;
  actorId: string;
  datasetId: string;
}) {
  const deleted = await options.db.dataset.deleteMany({
    where: { id: options.datasetId, projectId: options.projectId },
  });
  if (deleted.count === 0) throw new AppError("NOT_FOUND", "Dataset not found");
  await recordAuditEvent({
    db: options.db,
    projectId: options.projectId,
    actorId: options.actorId,
    action: "dataset.delete",
    targetType: "Dataset",
    targetId: options.datasetId,
  });
}
