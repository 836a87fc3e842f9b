import { describe, expect, it } from "vitest";
import { planTiles, stitchTileMaps, weightedMean } from "../tiles";

describe("planTiles", () => {
  it("tiles a multiple of the tile side without overlap", () => {
    expect(planTiles(512, 256, 256)).toEqual([
      { left: 0, top: 0, width: 256, height: 256, weight: 65536 },
      { left: 256, top: 0, width: 256, height: 256, weight: 65536 },
    ]);
  });

  it("spaces tiles equally, the last on the far edge, and weighs them by their area inside the analysed area", () => {
    const tiles = planTiles(700, 307, 256);
    expect(tiles.map((t) => [t.left, t.top])).toEqual([
      [0, 0],
      [222, 0],
      [444, 0],
      [0, 51],
      [222, 51],
      [444, 51],
    ]);
    const area = { left: 10, top: 0, width: 600, height: 300 };
    const inArea = planTiles(700, 307, 256, area);
    expect(inArea.map((t) => [t.left, t.top, t.weight])).toEqual([
      [10, 0, 65536],
      [182, 0, 65536],
      [354, 0, 65536],
      [10, 44, 65536],
      [182, 44, 65536],
      [354, 44, 65536],
    ]);
    // An area narrower than a tile: one tile centred on it, inside the image.
    expect(
      planTiles(400, 307, 256, { left: 300, top: 0, width: 100, height: 307 }).map((t) => [t.left, t.weight]),
    ).toEqual([
      [144, 100 * 256],
      [144, 100 * 256],
    ]);
  });

  it("rejects an image smaller than a tile or an area outside the image", () => {
    expect(() => planTiles(200, 300, 256)).toThrow(RangeError);
    expect(() => planTiles(300, 300, 256, { left: 100, top: 0, width: 256, height: 300 })).toThrow(RangeError);
  });
});

describe("weightedMean and stitchTileMaps", () => {
  it("averages vectors with weights", () => {
    expect(
      Array.from(
        weightedMean(
          [
            [1, 2],
            [3, 6],
          ],
          [1, 3],
        ),
      ),
    ).toEqual([2.5, 5]);
    expect(() => weightedMean([[1]], [0])).toThrow(RangeError);
  });

  it("places each tile's map and averages overlaps", () => {
    const tiles = [
      { left: 0, top: 0, width: 2, height: 1 },
      { left: 1, top: 0, width: 2, height: 1 },
    ];
    const stitched = stitchTileMaps(tiles, [Float32Array.of(1, 2), Float32Array.of(4, 6)], 4, 2);
    expect(Array.from(stitched)).toEqual([1, 3, 6, 0, 0, 0, 0, 0]);
  });
});
