/**
 * "The" analysis of an image, as shared pages, overlays and exports report it: its newest one.
 * One rule for the single lookup and the per-page lookup of exports.
 */
import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/server/db";

const NEWEST_FIRST = { createdAt: "desc" } as const satisfies Prisma.AnalysisOrderByWithRelationInput;

const NEWEST_ANALYSIS_SELECT = {
  id: true,
  imageId: true,
  mapKeys: true,
  prediction: true,
  probabilities: true,
  clusterStats: true,
  descriptors: true,
  params: true,
  codeVersion: true,
  createdAt: true,
  modelVersion: { select: { name: true } },
} as const satisfies Prisma.AnalysisSelect;

export type NewestAnalysis = Prisma.AnalysisGetPayload<{ select: typeof NEWEST_ANALYSIS_SELECT }>;

/**
 * The newest analysis of one image, found only if the image matches `imageWhere`: the caller's
 * access rule (its project, a share link's scope) is part of the query.
 */
export function findNewestAnalysis(options: {
  db: Db;
  imageId: string;
  imageWhere: Prisma.ImageWhereInput;
}): Promise<NewestAnalysis | null> {
  return options.db.analysis.findFirst({
    where: { imageId: options.imageId, image: options.imageWhere },
    orderBy: NEWEST_FIRST,
    select: NEWEST_ANALYSIS_SELECT,
  });
}

/** The newest analysis of each image of `imageIds` in `projectId`, in one query (a page of an export). */
export async function findNewestAnalyses(options: {
  db: Db;
  projectId: string;
  imageIds: string[];
}): Promise<Map<string, NewestAnalysis>> {
  const analyses = await options.db.analysis.findMany({
    where: { imageId: { in: options.imageIds }, image: { projectId: options.projectId } },
    orderBy: [{ imageId: "asc" }, NEWEST_FIRST],
    select: NEWEST_ANALYSIS_SELECT,
  });
  const newest = new Map<string, NewestAnalysis>();
  for (const analysis of analyses) if (!newest.has(analysis.imageId)) newest.set(analysis.imageId, analysis);
  return newest;
}
