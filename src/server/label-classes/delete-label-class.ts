import { changeProject, type ProjectChangeScope } from "~/server/audit/record-change";
import { AppError } from "~/server/errors";

/** Deletes a label class: its image labels go, its regions stay without a class (deletionImpact counts both). */
export async function deleteLabelClass(options: ProjectChangeScope & { labelClassId: string }) {
  const where = { id: options.labelClassId, projectId: options.projectId };
  await changeProject(
    options,
    {
      action: "labelClass.delete",
      target: { type: "LabelClass", id: where.id },
      data: (deleted: { name: string }) => deleted,
    },
    async (tx) => {
      const labelClass = await tx.labelClass.findFirst({ where, select: { name: true } });
      if (!labelClass) throw new AppError("NOT_FOUND", "Label class not found");
      await tx.labelClass.deleteMany({ where });
      return { name: labelClass.name };
    },
  );
}
