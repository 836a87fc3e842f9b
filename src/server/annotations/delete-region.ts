import { assertTouched, changeProject, type ProjectChangeScope } from "~/server/audit/record-change";
import { regionChangedEvent } from "./region-changed-event";
import { writeRegionAtVersion } from "./write-region-at-version";

/**
 * Deletes a region only if it is still at `expectedVersion`: deleting a region someone has just
 * edited would silently throw their work away, so that is a CONFLICT like a stale save.
 */
export async function deleteRegion(
  options: ProjectChangeScope & { regionId: string; expectedVersion: number },
): Promise<{ id: string }> {
  const region = { id: options.regionId, imageId: null };
  const record = {
    action: "region.delete",
    target: { type: "Region", id: region.id },
    event: () => regionChangedEvent(options, region, "deleted"),
  } as const;
  await writeRegionAtVersion({ ...options, deletedIsConflict: false }, (atVersion) =>
    changeProject(options, record, async (tx) =>
      assertTouched(
        await tx.region.deleteMany({ where: atVersion }),
        "Region not found (it may have been deleted already)",
      ),
    ),
  );
  return { id: region.id };
}
