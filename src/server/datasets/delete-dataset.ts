import { assertTouched, changeProject, type ProjectChangeScope } from "~/server/audit/record-change";

export async function deleteDataset(options: ProjectChangeScope & { datasetId: string }) {
  const where = { id: options.datasetId, projectId: options.projectId };
  await changeProject(options, { action: "dataset.delete", target: { type: "Dataset", id: where.id } }, async (tx) =>
    assertTouched(await tx.dataset.deleteMany({ where }), "Dataset not found"),
  );
}
