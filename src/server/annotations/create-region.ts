import type { Db } from "~/server/db";
import { recordChange } from "~/server/audit/record-change";
import { assertValidGeometry } from "./assert-valid-geometry";
import { assertProjectLabelClass, findProjectImage } from "./find-project-image";
import { regionChangedEvent } from "./region-changed-event";
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
  const row = await options.db.$transaction(async (tx) => {
    const created = await tx.region.create({
      data: { imageId: image.id, labelClassId: options.labelClassId, geometry, authorId: options.actorId },
      select: REGION_SELECT,
    });
    await recordChange(tx, {
      projectId: options.projectId,
      actorId: options.actorId,
      action: "region.create",
      target: { type: "Region", id: created.id },
      data: { imageId: image.id, kind: geometry.kind },
      event: regionChangedEvent(options, created, "created"),
    });
    return created;
  });
  return toRegionDto(row);
}
