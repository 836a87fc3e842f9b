/**
 * What must be sent to the server to make it hold the editor's regions: a pure diff of the
 * editor's document against the last saved state, so undo, redo and every tool need no saving
 * code of their own. Updates and deletes carry the version they were based on (optimistic
 * concurrency); regions in conflict are left alone until the user resolves them.
 */
import type { RegionGeometry } from "~/core/regions/region-geometry";
import type { EditorRegion } from "./AnnotationEditor";

export type SavedRegion = {
  serverId: string;
  version: number;
  labelClassId: string | null;
  geometry: RegionGeometry;
};

export type SyncOperation =
  | { type: "create"; key: string; labelClassId: string | null; geometry: RegionGeometry }
  | {
      type: "update";
      key: string;
      serverId: string;
      expectedVersion: number;
      labelClassId: string | null;
      geometry: RegionGeometry | undefined;
    }
  | { type: "delete"; key: string; serverId: string; expectedVersion: number };

export function planRegionSync(
  regions: readonly EditorRegion[],
  saved: ReadonlyMap<string, SavedRegion>,
  blocked: ReadonlySet<string> = new Set(),
): SyncOperation[] {
  const operations: SyncOperation[] = [];
  const present = new Set<string>();
  for (const region of regions) {
    present.add(region.key);
    if (blocked.has(region.key)) continue;
    const last = saved.get(region.key);
    if (!last) {
      operations.push({
        type: "create",
        key: region.key,
        labelClassId: region.labelClassId,
        geometry: region.geometry,
      });
      continue;
    }
    // Geometry values are immutable: a different object is a different geometry.
    const geometryChanged =
      last.geometry !== region.geometry && JSON.stringify(last.geometry) !== JSON.stringify(region.geometry);
    if (geometryChanged || last.labelClassId !== region.labelClassId) {
      operations.push({
        type: "update",
        key: region.key,
        serverId: last.serverId,
        expectedVersion: last.version,
        labelClassId: region.labelClassId,
        geometry: geometryChanged ? region.geometry : undefined,
      });
    }
  }
  for (const [key, last] of saved) {
    if (!present.has(key) && !blocked.has(key)) {
      operations.push({ type: "delete", key, serverId: last.serverId, expectedVersion: last.version });
    }
  }
  return operations;
}

/**
 * Brings other people's saved changes into the editor: regions created, edited or deleted on the
 * server since this editor last saw them. A region with an unsaved local edit (or in conflict) is
 * left as it is: its save will meet the newer version and the user chooses then. Returns null
 * when nothing changes.
 */
export function mergeRemoteRegions(
  regions: readonly EditorRegion[],
  saved: ReadonlyMap<string, SavedRegion>,
  server: readonly SavedRegion[],
  blocked: ReadonlySet<string> = new Set(),
): { regions: EditorRegion[]; saved: Map<string, SavedRegion> } | null {
  const keyOfServerId = new Map([...saved].map(([key, last]) => [last.serverId, key]));
  const serverIds = new Set(server.map((region) => region.serverId));
  const unsynced = new Set(planRegionSync(regions, saved, blocked).map((operation) => operation.key));
  const nextSaved = new Map(saved);
  let next = [...regions];
  let changed = false;

  for (const remote of server) {
    const key = keyOfServerId.get(remote.serverId);
    if (key === undefined) {
      next.push({ key: remote.serverId, labelClassId: remote.labelClassId, geometry: remote.geometry });
      nextSaved.set(remote.serverId, remote);
      changed = true;
      continue;
    }
    const last = saved.get(key)!;
    if (remote.version <= last.version || unsynced.has(key) || blocked.has(key)) continue;
    next = next.map((region) =>
      region.key === key ? { ...region, labelClassId: remote.labelClassId, geometry: remote.geometry } : region,
    );
    nextSaved.set(key, remote);
    changed = true;
  }
  for (const [key, last] of saved) {
    if (serverIds.has(last.serverId) || unsynced.has(key) || blocked.has(key)) continue;
    next = next.filter((region) => region.key !== key);
    nextSaved.delete(key);
    changed = true;
  }
  return changed ? { regions: next, saved: nextSaved } : null;
}
