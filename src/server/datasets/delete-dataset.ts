import { changeProject, type ProjectChangeScope } from "~/server/audit/record-change";
import { AppError } from "~/server/errors";

/** Deletes a dataset with its images (and, by cascade, everything of theirs; deletionImpact counts it). */
export async function deleteDataset(options: ProjectChangeScope & { datasetId: string }) {
  const where = { id: options.datasetId, projectId: options.projectId };
  await changeProject(
    options,
    {
      action: "dataset.delete",
      target: { type: "Dataset", id: where.id },
      data: (deleted: { name: string; images: number }) => deleted,
    },
    async (tx) => {
      const dataset = await tx.dataset.findFirst({
        where,
        select: { name: true, _count: { select: { images: true } } },
      });
      if (!dataset) throw new AppError("NOT_FOUND", "Dataset not found");
      await tx.dataset.deleteMany({ where });
      return { name: dataset.name, images: dataset._count.images };
    },
  );
}
