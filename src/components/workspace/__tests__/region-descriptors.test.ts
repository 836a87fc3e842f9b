import { describe, expect, it } from "vitest";
import { regionProps } from "~/core/objects/region-props";
import { rasterizeBrush, resampleMask } from "~/core/regions/rasterize-region";
import { encodeMaskRuns, type Point, type RegionGeometry } from "~/core/regions/region-geometry";
import { descriptorsInUnits, rasterizeRegion, regionDescriptors } from "../region-descriptors";

const image = { width: 100, height: 80 };

/** regionProps of a 0 / non-zero mask measured as one object, for reference values. */
function reference(mask: ArrayLike<number>, width: number, height: number) {
  const labels = Int32Array.from(mask, (v) => (v ? 1 : 0));
  return regionProps(labels, width, height)[0]!;
}

function polygonMask(points: readonly Point[], width: number, height: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const px = x + 0.5;
      const py = y + 0.5;
      let inside = false;
      for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
        const [xi, yi] = points[i]!;
        const [xj, yj] = points[j]!;
        if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
      }
      mask[y * width + x] = inside ? 1 : 0;
    }
  }
  return mask;
}

describe("regionDescriptors", () => {
  it("measures a 10×20 rectangle as regionProps does", () => {
    const geometry: RegionGeometry = { schemaVersion: 1, kind: "rectangle", x: 5, y: 7, width: 10, height: 20 };
    const d = regionDescriptors(geometry, image)!;
    const ref = reference(new Uint8Array(200).fill(1), 10, 20);
    expect(d.area).toBe(200);
    expect(d.perimeter).toBeCloseTo(ref.perimeter, 10);
    expect(d.perimeter).toBeGreaterThan(50);
    expect(d.perimeter).toBeLessThan(60);
    expect(d.equivalentDiameter).toBeCloseTo(Math.sqrt(800 / Math.PI), 10);
    expect(d.feretMax).toBeCloseTo(ref.feret_diameter_max!, 10);
    expect(d.circularity).toBeCloseTo(ref.circularity!, 10);
    expect(d.scale).toBe(1);
  });

  it("clips the rasterisation grid to the region's box and to the image", () => {
    const geometry: RegionGeometry = { schemaVersion: 1, kind: "rectangle", x: 90, y: -5, width: 30, height: 10 };
    const raster = rasterizeRegion(geometry, image)!;
    expect([raster.x0, raster.y0, raster.width, raster.height]).toEqual([90, 0, 10, 5]);
    expect(regionDescriptors(geometry, image)!.area).toBe(50);
    const outside: RegionGeometry = { schemaVersion: 1, kind: "rectangle", x: 200, y: 0, width: 5, height: 5 };
    expect(regionDescriptors(outside, image)).toBeNull();
  });

  it("measures a polygon like a full-image rasterisation at pixel centres", () => {
    const points: Point[] = [
      [10.2, 5.7],
      [60.4, 12.1],
      [35.3, 50.9],
      [30, 25],
    ];
    const d = regionDescriptors({ schemaVersion: 1, kind: "polygon", points }, image)!;
    const ref = reference(polygonMask(points, image.width, image.height), image.width, image.height);
    expect(d.area).toBe(ref.area);
    expect(d.perimeter).toBeCloseTo(ref.perimeter, 10);
    expect(d.feretMax).toBeCloseTo(ref.feret_diameter_max!, 10);
    expect(d.circularity).toBeCloseTo(ref.circularity!, 10);
  });

  it("measures brush and mask regions like the COCO rasterisers", () => {
    const brush: RegionGeometry = {
      schemaVersion: 1,
      kind: "brush",
      strokes: [
        {
          mode: "paint",
          size: 12,
          points: [
            [20, 20],
            [50, 30],
          ],
        },
        { mode: "erase", size: 6, points: [[35, 25]] },
      ],
    };
    const brushRef = reference(rasterizeBrush(brush, image.width, image.height), image.width, image.height);
    const b = regionDescriptors(brush, image)!;
    expect(b.area).toBe(brushRef.area);
    expect(b.perimeter).toBeCloseTo(brushRef.perimeter, 10);

    const grid = new Uint8Array(50 * 40);
    for (let y = 10; y < 20; y++) for (let x = 5; x < 25; x++) grid[y * 50 + x] = 1;
    const mask: RegionGeometry = {
      schemaVersion: 1,
      kind: "mask",
      gridWidth: 50,
      gridHeight: 40,
      runs: encodeMaskRuns(grid),
    };
    const maskRef = reference(resampleMask(mask, image.width, image.height), image.width, image.height);
    const m = regionDescriptors(mask, image)!;
    expect(m.area).toBe(maskRef.area);
    expect(m.area).toBe(40 * 20);
    expect(m.perimeter).toBeCloseTo(maskRef.perimeter, 10);
  });

  it("downsamples huge regions and scales the results back", () => {
    const big = { width: 5000, height: 3000 };
    const geometry: RegionGeometry = { schemaVersion: 1, kind: "rectangle", x: 0, y: 0, width: 4000, height: 2000 };
    const d = regionDescriptors(geometry, big)!;
    const raster = rasterizeRegion(geometry, big)!;
    expect(Math.max(raster.width, raster.height)).toBe(1024);
    expect(d.scale).toBeCloseTo(1024 / 4000, 10);
    expect(d.area / 8e6).toBeCloseTo(1, 2);
    expect(d.perimeter / 12000).toBeCloseTo(1, 1);
    expect(d.feretMax! / Math.hypot(4000, 2000)).toBeCloseTo(1, 2);
  });

  it("is memoised per geometry value", () => {
    const geometry: RegionGeometry = { schemaVersion: 1, kind: "rectangle", x: 0, y: 0, width: 4, height: 4 };
    expect(regionDescriptors(geometry, image)).toBe(regionDescriptors(geometry, image));
    expect(regionDescriptors({ ...geometry }, image)).not.toBe(regionDescriptors(geometry, image));
  });
});

describe("descriptorsInUnits", () => {
  const geometry: RegionGeometry = { schemaVersion: 1, kind: "rectangle", x: 0, y: 0, width: 10, height: 20 };

  it("converts lengths by the pixel size and areas by its square", () => {
    const d = regionDescriptors(geometry, image)!;
    const u = descriptorsInUnits(d, { value: 0.5, unit: "µm" })!;
    expect(u.unit).toBe("µm");
    expect(u.area).toEqual({ value: 50, unit: "µm²" });
    expect(u.perimeter.value).toBeCloseTo(d.perimeter * 0.5, 10);
    expect(u.equivalentDiameter.value).toBeCloseTo(d.equivalentDiameter * 0.5, 10);
    expect(u.feretMax!.value).toBeCloseTo(d.feretMax! * 0.5, 10);
  });

  it("picks the unit that reads best for the region's size", () => {
    const d = regionDescriptors(geometry, image)!;
    // 100 nm per pixel: equivalent diameter ≈ 1.6 µm.
    const u = descriptorsInUnits(d, { value: 100, unit: "nm" })!;
    expect(u.unit).toBe("µm");
    expect(u.area.value).toBeCloseTo(200 * 0.01, 10);
    expect(u.area.unit).toBe("µm²");
    expect(u.equivalentDiameter.value).toBeCloseTo(d.equivalentDiameter * 0.1, 10);
  });

  it("is null without a pixel size", () => {
    const d = regionDescriptors(geometry, image)!;
    expect(descriptorsInUnits(d, null)).toBeNull();
    expect(descriptorsInUnits(d, { value: 0, unit: "nm" })).toBeNull();
  });
});
