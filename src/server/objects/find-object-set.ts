import "server-only";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { OBJECT_SET_SELECT, toObjectSetDto, type ObjectSetDto } from "./object-set-dto";
import { objectParamsHash } from "./object-set-record";
import { analysedAreaOf, objectParamsOrBadInput } from "./request-object-set";

/**
 * objects.forImage: the stored object set of an image for `params` (the defaults when absent),
 * or null when those parameters were never run. NOT_FOUND for an image outside the project.
 */
export async function findObjectSet(options: {
  db: Db;
  projectId: string;
  imageId: string;
  params?: unknown;
}): Promise<ObjectSetDto | null> {
  const image = await options.db.image.findFirst({
    where: { id: options.imageId, projectId: options.projectId },
    select: { id: true, analysedArea: true },
  });
  if (!image) throw new AppError("NOT_FOUND", "Image not found");
  const paramsHash = objectParamsHash(objectParamsOrBadInput(options.params), analysedAreaOf(image));
  const row = await options.db.objectSet.findFirst({
    where: { imageId: image.id, paramsHash, projectId: options.projectId },
    select: OBJECT_SET_SELECT,
  });
  return row ? toObjectSetDto(row) : null;
}

/**
 * The blob key of an object set's label map and its project. No access rule in this lookup: the
 * route handler checks the caller's role in `projectId` right after, hence "unsafe".
 */
export async function unsafeFindObjectSetLabels(options: { db: Db; objectSetId: string }) {
  const row = await options.db.objectSet.findUnique({
    where: { id: options.objectSetId },
    select: { projectId: true, labelMapKey: true },
  });
  return row ? { projectId: row.projectId, blobKey: row.labelMapKey } : null;
}
