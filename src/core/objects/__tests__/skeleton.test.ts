import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { skeletonize } from "../skeleton";
import { skeletonGraph } from "../skeleton-graph";

/**
 * skeletonize against skimage 0.19.3 (tests/fixtures/objects/skeleton.json, written by
 * scripts/reference/objects_skeleton.py): pixel-for-pixel equality. skeletonGraph against shapes
 * whose graph is known by hand.
 */

type SkeletonCase = { name: string; width: number; height: number; mask_rle: number[]; skeleton: number[] };
const fixture = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../../tests/fixtures/objects/skeleton.json",
);
const reference = JSON.parse(readFileSync(fixture, "utf8")) as { cases: SkeletonCase[] };

function decodeRle(runs: number[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let p = 0;
  let v = 0;
  for (const r of runs) {
    out.fill(v, p, p + r);
    p += r;
    v = 1 - v;
  }
  if (p !== size) throw new Error(`RLE covers ${p} pixels, expected ${size}`);
  return out;
}

/** Mask from rows of "#" (foreground) and "." (background). */
function parse(rows: string[]): { mask: Uint8Array; width: number; height: number } {
  const height = rows.length;
  const width = rows[0]!.length;
  const mask = new Uint8Array(width * height);
  rows.forEach((row, y) => {
    for (let x = 0; x < width; x++) mask[y * width + x] = row[x] === "#" ? 1 : 0;
  });
  return { mask, width, height };
}

describe("skeletonize", () => {
  test.each(reference.cases.map((c) => [c.name, c] as const))("matches skimage on %s", (_name, c) => {
    const mask = decodeRle(c.mask_rle, c.width * c.height);
    const skel = skeletonize(mask, c.width, c.height);
    const ours: number[] = [];
    for (let i = 0; i < skel.length; i++) if (skel[i] === 1) ours.push(i);
    expect(ours).toEqual(c.skeleton);
  });

  test("empty and full-border inputs", () => {
    expect(Array.from(skeletonize(new Uint8Array(12), 4, 3))).toEqual(new Array(12).fill(0));
    // Non-zero values other than 1 count as foreground.
    const a = skeletonize(new Uint8Array([0, 255, 0]), 3, 1);
    expect(Array.from(a)).toEqual([0, 1, 0]);
  });

  test("bad shapes throw RangeError", () => {
    expect(() => skeletonize(new Uint8Array(5), 2, 3)).toThrow(RangeError);
    expect(() => skeletonize(new Uint8Array(0), 0, 0)).toThrow(RangeError);
  });
});

describe("skeletonGraph", () => {
  test("a straight line: one end-end branch", () => {
    const { mask, width, height } = parse([".....", ".###.", "....."]);
    const g = skeletonGraph(mask, width, height);
    expect(g.total).toEqual({
      branchCount: 1,
      junctionCount: 0,
      endPointCount: 2,
      isolatedPixelCount: 0,
      totalLength: 2,
      longestBranch: 2,
    });
    expect(g.branches).toEqual([{ label: 1, kind: 0, length: 2 }]);
  });

  test("a diagonal line measures sqrt(2) per step", () => {
    const { mask, width, height } = parse(["#...", ".#..", "..#.", "...#"]);
    const g = skeletonGraph(mask, width, height);
    expect(g.total.branchCount).toBe(1);
    expect(g.total.totalLength).toBeCloseTo(3 * Math.SQRT2, 12);
  });

  test("a plus: one junction, four junction-end branches", () => {
    const { mask, width, height } = parse(["..#..", "..#..", "#####", "..#..", "..#.."]);
    const g = skeletonGraph(mask, width, height);
    expect(g.total).toMatchObject({ branchCount: 4, junctionCount: 1, endPointCount: 4, totalLength: 8 });
    expect(g.branches.every((b) => b.kind === 1 && b.length === 2)).toBe(true);
  });

  test("a staircase corner is not a junction (m-adjacency)", () => {
    const { mask, width, height } = parse(["##...", ".##..", "..##."]);
    const g = skeletonGraph(mask, width, height);
    expect(g.total).toMatchObject({ branchCount: 1, junctionCount: 0, endPointCount: 2, totalLength: 5 });
  });

  test("a thick junction is one junction", () => {
    // A 2 x 2 crossing block with four arms: the block's pixels are all degree >= 3.
    const { mask, width, height } = parse(
      ["...#....", "...#....", "...##...", "#####...", "...######", "....#....", "....#...."].map((r) =>
        r.padEnd(9, "."),
      ),
    );
    const g = skeletonGraph(mask, width, height);
    expect(g.total.junctionCount).toBe(1);
    expect(g.total.endPointCount).toBe(4);
    expect(g.total.branchCount).toBe(4);
  });

  test("a closed loop is one cycle; an isolated pixel is no branch", () => {
    const { mask, width, height } = parse(["......", ".###..", ".#.#..", ".###..", ".....#"]);
    const g = skeletonGraph(mask, width, height);
    expect(g.total).toMatchObject({ branchCount: 1, junctionCount: 0, endPointCount: 0, isolatedPixelCount: 1 });
    expect(g.branches).toEqual([{ label: 1, kind: 3, length: 8 }]);
  });

  test("a loop with a tail: junction-junction cycle branch plus a junction-end branch", () => {
    const { mask, width, height } = parse([".###...", ".#.#...", ".####..", "....#..", "....#.."]);
    const g = skeletonGraph(mask, width, height);
    expect(g.total.junctionCount).toBe(1);
    expect(g.total.endPointCount).toBe(1);
    expect(g.branches.map((b) => b.kind).sort()).toEqual([1, 2]);
  });

  test("per-label statistics keep touching objects apart", () => {
    const { mask, width, height } = parse(["######"]);
    const labels = new Int32Array([1, 1, 1, 2, 2, 2]);
    const g = skeletonGraph(mask, width, height, { labels });
    expect(g.objects).toHaveLength(2);
    expect(g.objects[0]).toMatchObject({ label: 1, branchCount: 1, endPointCount: 2, totalLength: 2 });
    expect(g.objects[1]).toMatchObject({ label: 2, branchCount: 1, endPointCount: 2, totalLength: 2 });
    expect(g.total.branchCount).toBe(2);
    expect(g.total.totalLength).toBe(4);
  });

  test("two adjacent pixels: one branch of length 1", () => {
    const g = skeletonGraph(new Uint8Array([1, 1]), 2, 1);
    expect(g.total).toMatchObject({ branchCount: 1, endPointCount: 2, totalLength: 1 });
  });

  test("label map of the wrong size throws RangeError", () => {
    expect(() => skeletonGraph(new Uint8Array(4), 2, 2, { labels: new Int32Array(3) })).toThrow(RangeError);
  });

  test("graph of skimage skeletons: lengths add up to the branch list", () => {
    for (const c of reference.cases) {
      const skel = skeletonize(decodeRle(c.mask_rle, c.width * c.height), c.width, c.height);
      const g = skeletonGraph(skel, c.width, c.height);
      const sum = g.branches.reduce((a, b) => a + b.length, 0);
      expect(g.total.totalLength).toBeCloseTo(sum, 9);
      expect(g.total.branchCount).toBe(g.branches.length);
      // Handshake: every end point closes exactly one branch end.
      const endEnds = g.branches.reduce((a, b) => a + (b.kind === 0 ? 2 : b.kind === 1 ? 1 : 0), 0);
      expect(endEnds).toBe(g.total.endPointCount);
    }
  });
});
