/**
 * "The" analysis of an image, as shared pages, overlays and exports report it: its newest one.
 * One rule for the single lookup and the per-page lookup of exports.
 */
import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/server/db";
import type { ReportedSettings } from "~/server/settings/settings-results";

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

/**
 * The analysis each image of `imageIds` (of `projectId`) reports under a settings version (its
 * SettingsResult), in one query (a page of an export). Images without one are absent.
 */
export async function findReportedAnalyses(options: {
  db: Db;
  projectId: string;
  settings: ReportedSettings;
  imageIds: string[];
}): Promise<Map<string, NewestAnalysis>> {
  const { db, projectId, settings, imageIds } = options;
  if (settings.id === null || imageIds.length === 0) return new Map();
  const rows = await db.settingsResult.findMany({
    where: { projectId, settingsId: settings.id, imageId: { in: imageIds }, analysisId: { not: null } },
    select: { imageId: true, analysis: { select: NEWEST_ANALYSIS_SELECT } },
  });
  const reported = new Map<string, NewestAnalysis>();
  for (const row of rows) if (row.analysis) reported.set(row.imageId, row.analysis);
  return reported;
}
