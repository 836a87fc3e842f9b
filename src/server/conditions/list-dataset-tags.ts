/**
 * conditions.forDataset: every tag of a dataset's images (what the grid shows and filters by),
 * and the keys of the dataset and of the whole project (what the "Set condition" form offers).
 */
import "server-only";
import type { TagSource } from "~/core/conditions/tags";
import { assertDatasetInProject } from "~/server/datasets/assert-dataset-in-project";
import type { Db } from "~/server/db";
import { findTagKeys } from "./find-image-tags";
import { TAG_ROW_SELECT, tagValueOfRow } from "./tag-rows";

export type ImageTagDto = { key: string; value: number | string; unit: string | null; source: TagSource };

export async function listDatasetTags(options: { db: Db; projectId: string; datasetId: string }) {
  const { db, projectId, datasetId } = options;
  await assertDatasetInProject({ db, projectId, datasetId });
  const rows = await db.imageTag.findMany({
    where: { projectId, image: { datasetId } },
    select: { imageId: true, source: true, ...TAG_ROW_SELECT },
    orderBy: [{ imageId: "asc" }, { key: "asc" }],
  });
  const byImage: Record<string, ImageTagDto[]> = {};
  for (const row of rows) {
    (byImage[row.imageId] ??= []).push({
      key: row.key,
      value: tagValueOfRow(row),
      unit: row.unit,
      source: row.source as TagSource,
    });
  }
  const [datasetKeys, projectKeys] = await Promise.all([
    findTagKeys({ db, projectId, datasetId }),
    findTagKeys({ db, projectId }),
  ]);
  return { byImage, datasetKeys, projectKeys };
}
