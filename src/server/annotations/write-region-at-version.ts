import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { describeRegionConflict } from "./describe-region-conflict";

/** The project's region, but only while it is still at the version the editor saw. */
export type RegionAtVersionWhere = { id: string; image: { projectId: string }; version: number };

/**
 * Runs a write of a region that only applies while it is still at `expectedVersion` (optimistic
 * concurrency): `write` gets the where clause of exactly that row and must fail with NOT_FOUND
 * (`assertTouched`) when it touched nothing. Such a write is then explained: CONFLICT, saying who
 * changed the region since, when it is still there, or, with `deletedIsConflict`, when it was
 * deleted in the project meanwhile; otherwise the NOT_FOUND of `write` stands.
 */
export async function writeRegionAtVersion<T>(
  options: { db: Db; projectId: string; regionId: string; expectedVersion: number; deletedIsConflict: boolean },
  write: (atVersion: RegionAtVersionWhere) => Promise<T>,
): Promise<T> {
  const scoped = { id: options.regionId, image: { projectId: options.projectId } };
  try {
    return await write({ ...scoped, version: options.expectedVersion });
  } catch (error) {
    if (!(error instanceof AppError && error.code === "NOT_FOUND")) throw error;
    const current = await options.db.region.findFirst({ where: scoped, select: { version: true } });
    if (!current && !(options.deletedIsConflict && (await wasDeletedInProject(options)))) throw error;
    throw new AppError(
      "CONFLICT",
      await describeRegionConflict({
        db: options.db,
        projectId: options.projectId,
        regionId: options.regionId,
        expectedVersion: options.expectedVersion,
        currentVersion: current?.version ?? null,
      }),
    );
  }
}

/** A region that is gone was either never ours (NOT_FOUND) or deleted under the editor (CONFLICT). */
async function wasDeletedInProject(options: { db: Db; projectId: string; regionId: string }): Promise<boolean> {
  const deletion = await options.db.auditEvent.count({
    where: {
      projectId: options.projectId,
      targetType: "Region",
      targetId: options.regionId,
      action: "region.delete",
    },
  });
  return deletion > 0;
}
