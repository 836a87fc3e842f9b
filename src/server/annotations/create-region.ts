import type { Db } from "~/server/db";
import { recordAuditEvent } from "~/server/audit/record-audit-event";
import { projectChannel, publishEvent } from "~/server/events";
import { assertValidGeometry } from "./assert-valid-geometry";
import { assertProjectLabelClass, findProjectImage } from "./find-project-image";
import { REGION_SELECT, toRegionDto, type RegionDto } from "./region-dto";

export async function createRegion(options: {
  db: Db;
  projectId: string;
  actorId: string;
  imageId: string;
  labelClassId: string | null;
  geometry: unknown;
}): Promise<RegionDto> {
  const geometry = assertValidGeometry(options.geometry);
  const image = await findProjectImage(options);
  await assertProjectLabelClass(options);
  const row = await options.db.region.create({
    data: { imageId: image.id, labelClassId: options.labelClassId, geometry, authorId: options.actorId },
    select: REGION_SELECT,
  });
  await recordAuditEvent({
    db: options.db,
    projectId: options.projectId,
    actorId: options.actorId,
    action: "region.create",
    targetType: "Region",
    targetId: row.id,
    data: { imageId: image.id, kind: geometry.kind },
  });
  await publishEvent({
    db: options.db,
    channel: projectChannel(options.projectId),
    event: {
      type: "region.changed",
      projectId: options.projectId,
      imageId: image.id,
      regionId: row.id,
      change: "created",
      actorId: options.actorId,
    },
  });
  return toRegionDto(row);
}
