/**
 * The condition tags of some images of a project, keyed by image and then by tag key: what the
 * results CSV and the results view read. Images of another project (or unknown ids) have none.
 */
import "server-only";
import type { Db } from "~/server/db";
import { TAG_ROW_SELECT, tagValueOfRow } from "./tag-rows";

export type ImageTagValue = { value: number | string; unit: string | null };

export async function findImageTags(options: {
  db: Db;
  projectId: string;
  imageIds: readonly string[];
}): Promise<Map<string, Record<string, ImageTagValue>>> {
  const byImage = new Map<string, Record<string, ImageTagValue>>();
  if (options.imageIds.length === 0) return byImage;
  const rows = await options.db.imageTag.findMany({
    where: { projectId: options.projectId, imageId: { in: [...options.imageIds] } },
    select: { imageId: true, ...TAG_ROW_SELECT },
  });
  for (const row of rows) {
    const tags = byImage.get(row.imageId) ?? {};
    tags[row.key] = { value: tagValueOfRow(row), unit: row.unit };
    byImage.set(row.imageId, tags);
  }
  return byImage;
}

/** The keys present on the images `where` selects, each with its units (one unit: every value shares it). */
export async function findTagKeys(options: {
  db: Db;
  projectId: string;
  datasetId?: string;
}): Promise<{ key: string; units: (string | null)[]; images: number }[]> {
  const rows = await options.db.imageTag.groupBy({
    by: ["key", "unit"],
    where: {
      projectId: options.projectId,
      ...(options.datasetId ? { image: { datasetId: options.datasetId } } : {}),
    },
    _count: { _all: true },
    orderBy: [{ key: "asc" }, { unit: "asc" }],
  });
  const byKey = new Map<string, { key: string; units: (string | null)[]; images: number }>();
  for (const row of rows) {
    const entry = byKey.get(row.key) ?? { key: row.key, units: [], images: 0 };
    entry.units.push(row.unit);
    entry.images += row._count._all;
    byKey.set(row.key, entry);
  }
  return [...byKey.values()];
}
