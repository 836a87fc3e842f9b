import { describe, expect, it } from "vitest";
import type { RegionGeometry } from "../region-geometry";
import { canonicalGeometry, canonicalRing, regionIdentity } from "../region-identity";

const polygon = (points: [number, number][]): RegionGeometry => ({ schemaVersion: 1, kind: "polygon", points });

describe("region identity", () => {
  it("is the same outline from any start vertex and in either direction", () => {
    const a = polygon([
      [0, 0],
      [10, 0],
      [10, 5],
    ]);
    const rotated = polygon([
      [10, 5],
      [0, 0],
      [10, 0],
    ]);
    const reversed = polygon([
      [10, 0],
      [0, 0],
      [10, 5],
    ]);
    expect(canonicalGeometry(rotated)).toBe(canonicalGeometry(a));
    expect(canonicalGeometry(reversed)).toBe(canonicalGeometry(a));
    expect(
      canonicalGeometry(
        polygon([
          [0, 0],
          [10, 0],
          [10, 6],
        ]),
      ),
    ).not.toBe(canonicalGeometry(a));
  });

  it("rounds to 1/1000 px and treats a rectangle as its corner polygon", () => {
    expect(canonicalRing([[0.0000001, 1.23449999]])).toEqual([[0, 1.234]]);
    const box: RegionGeometry = { schemaVersion: 1, kind: "rectangle", x: 4, y: 5, width: 10, height: 7 };
    const corners = polygon([
      [14, 12],
      [14, 5],
      [4, 5],
      [4, 12],
    ]);
    expect(canonicalGeometry(box)).toBe(canonicalGeometry(corners));
  });

  it("ignores where a mask came from, not its runs", () => {
    const mask = (runs: number[], source?: { map: string }): RegionGeometry => ({
      schemaVersion: 1,
      kind: "mask",
      gridWidth: 2,
      gridHeight: 2,
      runs,
      ...(source ? { source } : {}),
    });
    expect(canonicalGeometry(mask([1, 3], { map: "clusters" }))).toBe(canonicalGeometry(mask([1, 3])));
    expect(canonicalGeometry(mask([2, 2]))).not.toBe(canonicalGeometry(mask([1, 3])));
  });

  it("keeps brush strokes in order (erasing depends on it) and includes the class", () => {
    const paint = { mode: "paint" as const, size: 4, points: [[1, 1]] as [number, number][] };
    const erase = { mode: "erase" as const, size: 2, points: [[1, 1]] as [number, number][] };
    const brush = (strokes: (typeof paint | typeof erase)[]): RegionGeometry => ({
      schemaVersion: 1,
      kind: "brush",
      strokes,
    });
    expect(canonicalGeometry(brush([paint, erase]))).not.toBe(canonicalGeometry(brush([erase, paint])));
    const g = polygon([
      [0, 0],
      [1, 0],
      [1, 1],
    ]);
    expect(regionIdentity("class-a", g)).not.toBe(regionIdentity(null, g));
    expect(regionIdentity(null, g)).toBe(regionIdentity(null, g));
  });
});
