import type { EditorRegion } from "./AnnotationEditor";

/** What someone else changed between two versions of the document, by region key. */
export type RemotePatch = {
  readonly added: readonly EditorRegion[];
  readonly changed: ReadonlyMap<string, EditorRegion>;
  readonly removed: ReadonlySet<string>;
};

/** The remote changes that turn `before` into `after` (regions are immutable: a changed region is a new object). */
export function diffRegions(before: readonly EditorRegion[], after: readonly EditorRegion[]): RemotePatch {
  const beforeByKey = new Map(before.map((region) => [region.key, region]));
  const afterKeys = new Set(after.map((region) => region.key));
  const added: EditorRegion[] = [];
  const changed = new Map<string, EditorRegion>();
  for (const region of after) {
    const previous = beforeByKey.get(region.key);
    if (previous === undefined) added.push(region);
    else if (previous !== region) changed.set(region.key, region);
  }
  const removed = new Set(before.filter((region) => !afterKeys.has(region.key)).map((region) => region.key));
  return { added, changed, removed };
}

/**
 * Replays a remote patch onto an older snapshot of the document (an undo or redo state), so that
 * restoring it later reverts only this user's own edits, never someone else's saved work. A region
 * the snapshot does not hold (the user deleted it, or had not created it yet) stays absent.
 */
export function applyRemotePatch(snapshot: readonly EditorRegion[], patch: RemotePatch): readonly EditorRegion[] {
  if (patch.added.length === 0 && patch.changed.size === 0 && patch.removed.size === 0) return snapshot;
  const present = new Set(snapshot.map((region) => region.key));
  const kept = snapshot
    .filter((region) => !patch.removed.has(region.key))
    .map((region) => patch.changed.get(region.key) ?? region);
  return [...kept, ...patch.added.filter((region) => !present.has(region.key))];
}
