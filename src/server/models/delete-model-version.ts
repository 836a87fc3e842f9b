import { changeProject, type ProjectChangeScope } from "~/server/audit/record-change";
import { AppError } from "~/server/errors";

/**
 * Deletes one of the project's own (retrained) versions. Built-in models cannot be deleted from
 * a project. Analyses made with the version stay, with their modelVersionId cleared (their
 * params still name "version:<id>"); the head blob stays in the content-addressed store.
 */
export async function deleteModelVersion(options: ProjectChangeScope & { modelVersionId: string }): Promise<void> {
  const { db, projectId } = options;
  const row = await db.modelVersion.findFirst({
    where: { id: options.modelVersionId, OR: [{ projectId }, { projectId: null }] },
    select: { id: true, name: true, projectId: true },
  });
  if (!row) throw new AppError("NOT_FOUND", "Model version not found");
  if (row.projectId === null) throw new AppError("BAD_INPUT", "Built-in models cannot be deleted");
  const record = {
    action: "model-version.delete",
    target: { type: "ModelVersion", id: row.id },
    data: { name: row.name },
  } as const;
  await changeProject(options, record, (tx) => tx.modelVersion.delete({ where: { id: row.id } }));
}
