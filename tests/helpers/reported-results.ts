/**
 * Makes stored analyses and object sets what images report (their SettingsResult under the
 * project's current settings, pinned as version 1 if none are saved), as a dataset run under the
 * settings does, and returns the settings version for the exports.
 */
import type { Db } from "~/server/db";
import { pinProjectSettings } from "~/server/settings/project-settings";
import type { ReportedSettings } from "~/server/settings/settings-results";

export async function reportResults(
  db: Db,
  projectId: string,
  actorId: string,
  results: { imageId: string; analysisId?: string; objectSetId?: string; failure?: string }[],
): Promise<ReportedSettings> {
  const settings = await pinProjectSettings({ db, projectId, actorId });
  for (const { imageId, ...result } of results) {
    const row = { analysisId: null, objectSetId: null, failure: null, ...result };
    await db.settingsResult.upsert({
      where: { settingsId_imageId: { settingsId: settings.id, imageId } },
      create: { projectId, settingsId: settings.id, imageId, ...row },
      update: row,
    });
  }
  return { id: settings.id, version: settings.version };
}
