import type { ProjectChangeScope } from "~/server/audit/record-change";
import type { RegionChangedEvent } from "~/server/events/app-events";

/** The live event of a region change by the scope's actor (deletes do not know the image: null). */
export function regionChangedEvent(
  scope: Pick<ProjectChangeScope, "projectId" | "actorId">,
  region: { id: string; imageId: string | null },
  change: RegionChangedEvent["change"],
): RegionChangedEvent {
  return {
    type: "region.changed",
    projectId: scope.projectId,
    imageId: region.imageId,
    regionId: region.id,
    change,
    actorId: scope.actorId,
  };
}
