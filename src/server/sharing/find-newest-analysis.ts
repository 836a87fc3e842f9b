import type { Db } from "~/server/db";

/** The newest analysis of an image of `projectId` (what shared pages and exports report). */
export async function findNewestAnalysis(options: { db: Db; projectId: string; imageId: string }) {
  return options.db.analysis.findFirst({
    where: { imageId: options.imageId, image: { projectId: options.projectId } },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      mapKeys: true,
      prediction: true,
      probabilities: true,
      clusterStats: true,
      descriptors: true,
      params: true,
      codeVersion: true,
      createdAt: true,
      modelVersion: { select: { name: true } },
    },
  });
}
