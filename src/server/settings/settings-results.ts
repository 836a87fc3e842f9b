/**
 * SettingsResult: what one image reports under one settings version (the analysis and object set
 * a run under those settings produced, or why it failed). Written by the run's item transaction
 * (jobs/record-item-outcome.ts), read page by page by the exports (findReportedAnalyses,
 * findReportedObjectSets, findSettingsFailures). One row per image and version:
 * a later run under the same version replaces it.
 */
import "server-only";
import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/server/db";

export async function recordSettingsResult(
  tx: Prisma.TransactionClient,
  result: {
    projectId: string;
    settingsId: string;
    imageId: string;
    analysisId: string | null;
    objectSetId: string | null;
    failure: string | null;
  },
): Promise<void> {
  const { projectId, settingsId, imageId, ...outcome } = result;
  await tx.settingsResult.upsert({
    where: { settingsId_imageId: { settingsId, imageId } },
    create: { projectId, settingsId, imageId, ...outcome },
    update: outcome,
  });
}

/** The settings version an export reports: its id (null for version 0: nothing run under it) and number. */
export type ReportedSettings = { id: string | null; version: number };

/** Why each of `imageIds` has no result under `settings` (its run's failure), by image id. */
export async function findSettingsFailures(options: {
  db: Db;
  projectId: string;
  settings: ReportedSettings;
  imageIds: string[];
}): Promise<Map<string, string>> {
  const { db, projectId, settings, imageIds } = options;
  if (settings.id === null || imageIds.length === 0) return new Map();
  const rows = await db.settingsResult.findMany({
    where: { projectId, settingsId: settings.id, imageId: { in: imageIds }, failure: { not: null } },
    select: { imageId: true, failure: true },
  });
  return new Map(rows.map((row) => [row.imageId, row.failure ?? ""]));
}
