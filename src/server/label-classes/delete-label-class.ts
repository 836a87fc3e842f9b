import { assertTouched, changeProject, type ProjectChangeScope } from "~/server/audit/record-change";

export async function deleteLabelClass(options: ProjectChangeScope & { labelClassId: string }) {
  const target = { type: "LabelClass", id: options.labelClassId };
  await changeProject(options, { action: "labelClass.delete", target }, async (tx) =>
    assertTouched(
      await tx.labelClass.deleteMany({ where: { id: options.labelClassId, projectId: options.projectId } }),
      "Label class not found",
    ),
  );
}
