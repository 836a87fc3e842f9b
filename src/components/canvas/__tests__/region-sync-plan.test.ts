import { describe, expect, test } from "vitest";
import type { RegionGeometry } from "~/core/regions/region-geometry";
import type { EditorRegion } from "../AnnotationEditor";
import { mergeRemoteRegions, planRegionSync, type SavedRegion } from "../region-sync-plan";

const box = (x: number): RegionGeometry => ({
  schemaVersion: 1,
  kind: "rectangle",
  x,
  y: 0,
  width: 10,
  height: 10,
});

describe("planRegionSync", () => {
  test("creates new regions, updates changed ones with their version, deletes missing ones", () => {
    const unchanged = box(0);
    const saved = new Map<string, SavedRegion>([
      ["a", { serverId: "a", version: 1, labelClassId: null, geometry: unchanged }],
      ["b", { serverId: "b", version: 4, labelClassId: null, geometry: box(1) }],
      ["c", { serverId: "c", version: 2, labelClassId: null, geometry: box(2) }],
    ]);
    const regions: EditorRegion[] = [
      { key: "a", labelClassId: null, geometry: unchanged },
      { key: "b", labelClassId: "cls", geometry: box(5) },
      { key: "local-1", labelClassId: null, geometry: box(9) },
    ];
    expect(planRegionSync(regions, saved)).toEqual([
      { type: "update", key: "b", serverId: "b", expectedVersion: 4, labelClassId: "cls", geometry: box(5) },
      { type: "create", key: "local-1", labelClassId: null, geometry: box(9) },
      { type: "delete", key: "c", serverId: "c", expectedVersion: 2 },
    ]);
  });

  test("a class change alone sends no geometry; conflicted regions are left alone", () => {
    const geometry = box(0);
    const saved = new Map<string, SavedRegion>([["a", { serverId: "a", version: 3, labelClassId: null, geometry }]]);
    expect(planRegionSync([{ key: "a", labelClassId: "x", geometry }], saved)).toEqual([
      { type: "update", key: "a", serverId: "a", expectedVersion: 3, labelClassId: "x", geometry: undefined },
    ]);
    expect(planRegionSync([{ key: "a", labelClassId: "x", geometry: box(3) }], saved, new Set(["a"]))).toEqual([]);
    expect(planRegionSync([], saved, new Set(["a"]))).toEqual([]);
  });
});

describe("mergeRemoteRegions", () => {
  const saved = (
    serverId: string,
    version: number,
    geometry: RegionGeometry,
    key = serverId,
  ): [string, SavedRegion] => [key, { serverId, version, labelClassId: null, geometry }];

  test("adds regions others created, applies their newer edits and removes what they deleted", () => {
    const a = box(0);
    const b = box(1);
    const mine = new Map([saved("a", 1, a), saved("b", 1, b), saved("s-local", 1, box(7), "local-1")]);
    const regions: EditorRegion[] = [
      { key: "a", labelClassId: null, geometry: a },
      { key: "b", labelClassId: null, geometry: b },
      { key: "local-1", labelClassId: null, geometry: box(7) },
    ];
    const server: SavedRegion[] = [
      { serverId: "a", version: 2, labelClassId: "cls", geometry: box(3) }, // edited by someone else
      { serverId: "s-local", version: 1, labelClassId: null, geometry: box(7) }, // my own, known under a local key
      { serverId: "n", version: 1, labelClassId: null, geometry: box(9) }, // created by someone else
    ]; // "b" was deleted by someone else
    const merged = mergeRemoteRegions(regions, mine, server)!;
    expect(merged.regions).toEqual([
      { key: "a", labelClassId: "cls", geometry: box(3) },
      { key: "local-1", labelClassId: null, geometry: box(7) },
      { key: "n", labelClassId: null, geometry: box(9) },
    ]);
    expect([...merged.saved.keys()].sort()).toEqual(["a", "local-1", "n"]);
    expect(planRegionSync(merged.regions, merged.saved)).toEqual([]);
  });

  test("never overwrites an unsaved local edit or a conflicted region, and reports no change when in step", () => {
    const mine = new Map([saved("a", 1, box(0)), saved("b", 1, box(1))]);
    const regions: EditorRegion[] = [
      { key: "a", labelClassId: null, geometry: box(5) }, // edited here, not saved yet
      { key: "b", labelClassId: null, geometry: box(1) },
    ];
    const server: SavedRegion[] = [
      { serverId: "a", version: 2, labelClassId: null, geometry: box(3) },
      { serverId: "b", version: 2, labelClassId: null, geometry: box(4) },
    ];
    const merged = mergeRemoteRegions(regions, mine, server, new Set(["b"]));
    expect(merged).toBeNull();
    const inStep = [...mine.values()];
    expect(
      mergeRemoteRegions(
        [
          { key: "a", labelClassId: null, geometry: box(0) },
          { key: "b", labelClassId: null, geometry: box(1) },
        ],
        mine,
        inStep,
      ),
    ).toBeNull();
  });
});
