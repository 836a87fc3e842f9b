/**
 * The object set of each image, as exports report it: the one its SettingsResult names under the
 * export's settings version (classical objects), or the SAM 2 set for the export's model and
 * generator parameters. One query per page of images.
 */
import "server-only";
import type { Db } from "~/server/db";
import type { ReportedSettings } from "~/server/settings/settings-results";

const NEWEST_OBJECT_SET_SELECT = {
  id: true,
  imageId: true,
  width: true,
  count: true,
  imageStats: true,
  objects: true,
  objectsKey: true,
  paramsHash: true,
  createdAt: true,
} as const;

export type NewestObjectSet = {
  id: string;
  imageId: string;
  width: number;
  count: number;
  imageStats: unknown;
  objects: unknown;
  objectsKey: string;
  paramsHash: string;
  createdAt: Date;
};

/**
 * The object set each of `imageIds` (of the project) reports under a settings version (its
 * SettingsResult), by image id. Images without one are absent.
 */
export async function findReportedObjectSets(options: {
  db: Db;
  projectId: string;
  settings: ReportedSettings;
  imageIds: string[];
}): Promise<Map<string, NewestObjectSet>> {
  const { db, projectId, settings, imageIds } = options;
  if (settings.id === null || imageIds.length === 0) return new Map();
  const rows = await db.settingsResult.findMany({
    where: { projectId, settingsId: settings.id, imageId: { in: imageIds }, objectSetId: { not: null } },
    select: { imageId: true, objectSet: { select: NEWEST_OBJECT_SET_SELECT } },
  });
  const reported = new Map<string, NewestObjectSet>();
  for (const row of rows) if (row.objectSet) reported.set(row.imageId, row.objectSet);
  return reported;
}

/**
 * The SAM 2 object set (ObjectSet.method "sam2") each of `imageIds` (of the project) holds for
 * one model and generator parameters (`paramsHash`: resolveSam2ObjectSetKey), by image id; images
 * where it was never generated are absent. One query per page of images.
 */
export async function findSam2ObjectSets(options: {
  db: Db;
  projectId: string;
  paramsHash: string;
  imageIds: string[];
}): Promise<Map<string, NewestObjectSet>> {
  const { db, projectId, paramsHash, imageIds } = options;
  if (imageIds.length === 0) return new Map();
  const rows = await db.objectSet.findMany({
    where: { projectId, method: "sam2", paramsHash, imageId: { in: imageIds } },
    select: NEWEST_OBJECT_SET_SELECT,
  });
  return new Map(rows.map((row) => [row.imageId, row]));
}
