import type { Db } from "~/server/db";
import { recordChange } from "~/server/audit/record-change";
import { AppError } from "~/server/errors";
import { describeRegionConflict } from "./describe-region-conflict";

/**
 * Deletes a region only if it is still at `expectedVersion`: deleting a region someone has just
 * edited would silently throw their work away, so that is a CONFLICT like a stale save.
 */
export async function deleteRegion(options: {
  db: Db;
  projectId: string;
  actorId: string;
  regionId: string;
  expectedVersion: number;
}): Promise<{ id: string }> {
  const scoped = { id: options.regionId, image: { projectId: options.projectId } };
  const deleted = await options.db.$transaction(async (tx) => {
    const { count } = await tx.region.deleteMany({ where: { ...scoped, version: options.expectedVersion } });
    if (count > 0) {
      await recordChange(tx, {
        projectId: options.projectId,
        actorId: options.actorId,
        action: "region.delete",
        target: { type: "Region", id: options.regionId },
        event: {
          type: "region.changed",
          projectId: options.projectId,
          imageId: null,
          regionId: options.regionId,
          change: "deleted",
          actorId: options.actorId,
        },
      });
    }
    return count;
  });
  if (deleted === 0) {
    const current = await options.db.region.findFirst({ where: scoped, select: { version: true } });
    if (!current) throw new AppError("NOT_FOUND", "Region not found (it may have been deleted already)");
    throw new AppError(
      "CONFLICT",
      await describeRegionConflict({
        db: options.db,
        projectId: options.projectId,
        regionId: options.regionId,
        expectedVersion: options.expectedVersion,
        currentVersion: current.version,
      }),
    );
  }
  return { id: options.regionId };
}
