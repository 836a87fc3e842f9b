import { assertTouched, changeProject, type ProjectChangeScope } from "~/server/audit/record-change";

export async function deleteDataset(options: ProjectChangeScope & { datasetId: string }) {
  const target = { type: "Dataset", id: options.datasetId };
  await changeProject(options, { action: "dataset.delete", target }, async (tx) =>
    assertTouched(
      await tx.dataset.deleteMany({ where: { id: options.datasetId, projectId: options.projectId } }),
      "Dataset not found",
    ),
  );
}
