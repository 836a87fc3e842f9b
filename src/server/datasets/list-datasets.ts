import type { Db } from "~/server/db";

export async function listDatasets(options: { db: Db; projectId: string }) {
  const datasets = await options.db.dataset.findMany({
    where: { projectId: options.projectId },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      name: true,
      description: true,
      createdAt: true,
      _count: { select: { images: true } },
    },
  });
  return datasets.map(({ _count, ...dataset }) => ({ ...dataset, imageCount: _count.images }));
}
