import { assertTouched, changeProject, type ProjectChangeScope } from "~/server/audit/record-change";

export async function deleteLabelClass(options: ProjectChangeScope & { labelClassId: string }) {
  const where = { id: options.labelClassId, projectId: options.projectId };
  await changeProject(
    options,
    { action: "labelClass.delete", target: { type: "LabelClass", id: where.id } },
    async (tx) => assertTouched(await tx.labelClass.deleteMany({ where }), "Label class not found"),
  );
}
