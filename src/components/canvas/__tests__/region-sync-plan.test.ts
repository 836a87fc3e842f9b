import { describe, expect, test } from "vitest";
import type { RegionGeometry } from "~/server/annotations/region-geometry";
import type { EditorRegion } from "../AnnotationEditor";
import { planRegionSync, type SavedRegion } from "../region-sync-plan";

const box = (x: number): RegionGeometry => ({ schemaVersion: 1, kind: "rectangle", x, y: 0, width: 10, height: 10 });

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
