import type { Db } from "~/server/db";
import { recordChange } from "~/server/audit/record-change";
import { AppError } from "~/server/errors";
import { assertValidGeometry } from "./assert-valid-geometry";
import { describeRegionConflict } from "./describe-region-conflict";
import { assertProjectLabelClass } from "./find-project-image";
import { REGION_SELECT, toRegionDto, type RegionDto } from "./region-dto";

/**
 * Saves a new geometry and/or class for a region, only if it is still at `expectedVersion`
 * (optimistic concurrency): the version check and the write are one UPDATE, so two concurrent
 * saves of the same version cannot both succeed. A stale save gets CONFLICT and writes nothing.
 */
export async function updateRegion(options: {
  db: Db;
  projectId: string;
  actorId: string;
  regionId: string;
  expectedVersion: number;
  geometry?: unknown;
  /** undefined: keep; null: no class. */
  labelClassId?: string | null;
}): Promise<RegionDto> {
  const geometry = options.geometry === undefined ? undefined : assertValidGeometry(options.geometry);
  await assertProjectLabelClass({
    db: options.db,
    projectId: options.projectId,
    labelClassId: options.labelClassId,
  });
  const scoped = { id: options.regionId, image: { projectId: options.projectId } };

  const row = await options.db.$transaction(async (tx) => {
    const updated = await tx.region.updateMany({
      where: { ...scoped, version: options.expectedVersion },
      data: {
        ...(geometry ? { geometry } : {}),
        ...(options.labelClassId !== undefined ? { labelClassId: options.labelClassId } : {}),
        version: { increment: 1 },
      },
    });
    if (updated.count === 0) return null;
    const saved = await tx.region.findFirstOrThrow({ where: scoped, select: REGION_SELECT });
    await recordChange(tx, {
      projectId: options.projectId,
      actorId: options.actorId,
      action: "region.update",
      target: { type: "Region", id: saved.id },
      data: {
        version: saved.version,
        geometryChanged: geometry !== undefined,
        labelClassId: options.labelClassId ?? null,
      },
      event: {
        type: "region.changed",
        projectId: options.projectId,
        imageId: saved.imageId,
        regionId: saved.id,
        change: "updated",
        actorId: options.actorId,
      },
    });
    return saved;
  });
  if (!row) {
    const current = await options.db.region.findFirst({ where: scoped, select: { version: true } });
    if (!current && !(await wasDeletedInProject(options))) throw new AppError("NOT_FOUND", "Region not found");
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
  return toRegionDto(row);
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
