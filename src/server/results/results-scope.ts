/**
 * What the results view reads: the project's images, or one dataset's, under one settings
 * version (the current one unless asked for another). Another project's dataset is NOT_FOUND.
 */
import "server-only";
import type { Db } from "~/server/db";
import { assertExportScope, type ExportScope } from "~/server/exports/export-scope";
import { getProjectSettings } from "~/server/settings/project-settings";
import type { ReportedSettings } from "~/server/settings/settings-results";

export type ResultsScopeInput = { db: Db; projectId: string; datasetId?: string; settingsVersion?: number };

export async function resolveResultsScope(
  options: ResultsScopeInput,
): Promise<{ scope: ExportScope; settings: ReportedSettings }> {
  const { db, projectId, datasetId, settingsVersion } = options;
  const scope = { projectId, datasetId };
  await assertExportScope({ db, scope });
  const settings = await getProjectSettings({ db, projectId, version: settingsVersion });
  return { scope, settings: { id: settings.id, version: settings.version } };
}
