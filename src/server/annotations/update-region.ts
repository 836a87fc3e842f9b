import { assertTouched, changeProject, type ProjectChangeScope } from "~/server/audit/record-change";
import { assertValidGeometry } from "./assert-valid-geometry";
import { assertProjectLabelClass } from "./find-project-image";
import { regionChangedEvent } from "./region-changed-event";
import { REGION_SELECT, toRegionDto, type RegionDto } from "./region-dto";
import { writeRegionAtVersion } from "./write-region-at-version";

/**
 * Saves a new geometry and/or class for a region, only if it is still at `expectedVersion`
 * (optimistic concurrency): the version check and the write are one UPDATE, so two concurrent
 * saves of the same version cannot both succeed. A stale save gets CONFLICT and writes nothing.
 */
export async function updateRegion(
  options: ProjectChangeScope & {
    regionId: string;
    expectedVersion: number;
    geometry?: unknown;
    /** undefined: keep; null: no class. */
    labelClassId?: string | null;
  },
): Promise<RegionDto> {
  const geometry = options.geometry === undefined ? undefined : assertValidGeometry(options.geometry);
  await assertProjectLabelClass({
    db: options.db,
    projectId: options.projectId,
    labelClassId: options.labelClassId,
  });
  type Saved = { id: string; imageId: string; version: number };
  const record = {
    action: "region.update",
    target: (saved: Saved) => ({ type: "Region", id: saved.id }),
    data: (saved: Saved) => ({
      version: saved.version,
      geometryChanged: geometry !== undefined,
      labelClassId: options.labelClassId ?? null,
    }),
    event: (saved: Saved) => regionChangedEvent(options, saved, "updated"),
  } as const;
  const row = await writeRegionAtVersion({ ...options, deletedIsConflict: true }, (atVersion) =>
    changeProject(options, record, async (tx) => {
      assertTouched(
        await tx.region.updateMany({
          where: atVersion,
          data: {
            ...(geometry ? { geometry } : {}),
            ...(options.labelClassId !== undefined ? { labelClassId: options.labelClassId } : {}),
            version: { increment: 1 },
          },
        }),
        "Region not found",
      );
      return tx.region.findFirstOrThrow({ where: { id: atVersion.id, image: atVersion.image }, select: REGION_SELECT });
    }),
  );
  return toRegionDto(row);
}
