import type { Db } from "~/server/db";
import { recordAuditEvent } from "~/server/audit/record-audit-event";
import { AppError } from "~/server/errors";
import { projectChannel, publishEvent } from "~/server/events";
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

  const updated = await options.db.region.updateMany({
    where: { ...scoped, version: options.expectedVersion },
    data: {
      ...(geometry ? { geometry } : {}),
      ...(options.labelClassId !== undefined ? { labelClassId: options.labelClassId } : {}),
      version: { increment: 1 },
    },
  });
  if (updated.count === 0) {
    const current = await options.db.region.findFirst({ where: scoped, select: { version: true } });
    if (!current && !(await wasDeletedInProject(options)))
      throw new AppError("NOT_FOUND", "Region not found");
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
  const row = await options.db.region.findFirstOrThrow({ where: scoped, select: REGION_SELECT });
  await recordAuditEvent({
    db: options.db,
    projectId: options.projectId,
    actorId: options.actorId,
    action: "region.update",
    targetType: "Region",
    targetId: row.id,
    data: {
      version: row.version,
      geometryChanged: geometry !== undefined,
      labelClassId: options.labelClassId ?? null,
    },
  });
  await publishEvent({
    db: options.db,
    channel: projectChannel(options.projectId),
    event: {
      type: "region.changed",
      projectId: options.projectId,
      imageId: row.imageId,
      regionId: row.id,
      change: "updated",
      actorId: options.actorId,
    },
  });
  return toRegionDto(row);
}

/** A region that is gone was either never ours (NOT_FOUND) or deleted under the editor (CONFLICT). */
async function wasDeletedInProject(options: {
  db: Db;
  projectId: string;
  regionId: string;
}): Promise<boolean> {
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
