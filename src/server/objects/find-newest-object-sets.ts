/**
 * "The" object set of an image, as exports report it: its newest one (whatever its parameters).
 * One query per page of images.
 */
import "server-only";
import type { Db } from "~/server/db";

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

/** The newest object set of each of `imageIds` (of the project), by image id. */
export async function findNewestObjectSets(options: {
  db: Db;
  projectId: string;
  imageIds: string[];
}): Promise<Map<string, NewestObjectSet>> {
  if (options.imageIds.length === 0) return new Map();
  const rows = await options.db.objectSet.findMany({
    where: { projectId: options.projectId, imageId: { in: options.imageIds } },
    orderBy: [{ imageId: "asc" }, { createdAt: "desc" }, { id: "desc" }],
    distinct: ["imageId"],
    select: NEWEST_OBJECT_SET_SELECT,
  });
  return new Map(rows.map((row) => [row.imageId, row]));
}
