import { describe, expect, it } from "vitest";
import {
  descriptorHeader,
  descriptorValue,
  describeObject,
  histogram,
  imageNumbers,
  objectUnits,
  sortObjects,
  type ObjectRecord,
} from "../object-set";

const record = (label: number, area: number, circularity: number | null): ObjectRecord => ({
  label,
  area,
  perimeter: 10,
  centroid: [5, 5],
  bbox: [0, 0, 10, 10],
  equivalent_diameter: Math.sqrt((4 * area) / Math.PI),
  eccentricity: 0,
  solidity: 1,
  feret_diameter_max: 12,
  circularity,
  aspect_ratio: 1,
});

describe("object units", () => {
  it("scale lengths by k and areas by k², following a downscaled label map", () => {
    const units = objectUnits({ value: 0.05, unit: "µm" }, 2048, 1024)!;
    expect(units.k).toBeCloseTo(0.1, 12);
    const r = record(1, 100, 0.9);
    expect(descriptorValue(r, "area", units)).toBeCloseTo(1, 12);
    expect(descriptorValue(r, "feret_diameter_max", units)).toBeCloseTo(1.2, 12);
    expect(descriptorValue(r, "circularity", units)).toBe(0.9);
    expect(descriptorHeader("area", units)).toBe("Area (µm²)");
    expect(descriptorHeader("equivalent_diameter", null)).toBe("Eq. diameter (px)");
    expect(descriptorHeader("solidity", units)).toBe("Solidity");
    expect(objectUnits(null, 10, 10)).toBeNull();
  });
});

describe("sortObjects", () => {
  it("sorts both ways with missing values last", () => {
    const records = [record(1, 30, 0.5), record(2, 10, null), record(3, 20, 0.7)];
    expect(sortObjects(records, { by: "area", direction: "descending" }, null).map((r) => r.label)).toEqual([1, 3, 2]);
    expect(sortObjects(records, { by: "circularity", direction: "ascending" }, null).map((r) => r.label)).toEqual([
      1, 3, 2,
    ]);
    expect(sortObjects(records, { by: "circularity", direction: "descending" }, null).map((r) => r.label)).toEqual([
      3, 1, 2,
    ]);
  });
});

describe("histogram", () => {
  it("counts every value once, max in the last bin", () => {
    const h = histogram([0, 1, 2, 3, 4, 10], 5)!;
    expect(h.edges).toEqual([0, 2, 4, 6, 8, 10]);
    expect(h.counts).toEqual([2, 2, 1, 0, 1]);
    expect(histogram([])).toBeNull();
    expect(histogram([3, 3])!.counts.reduce((a, b) => a + b, 0)).toBe(2);
  });
});

describe("imageNumbers", () => {
  it("gives lengths in the unit and density per unit²", () => {
    const numbers = imageNumbers(
      { count: 4, coverage: 0.1234, density: 0.0004, d10: 10, d50: 20, d90: 30, indexOfDispersion: null },
      { k: 0.5, unit: "µm" },
    );
    const text = Object.fromEntries(numbers.map((n) => [n.id, n.text]));
    expect(text).toMatchObject({
      count: "4",
      coverage: "12.34 %",
      d50: "10 µm",
      density: "0.0016 µm⁻²",
      "id-max": "–",
    });
  });
});

describe("describeObject (the hover readout)", () => {
  it("gives every descriptor in the units, and px without a scale", () => {
    const r = { ...record(3, 100, 0.785), feret_diameter_max: null };
    const texts = describeObject(r, { k: 0.5, unit: "µm" }).map((d) => d.text);
    expect(texts).toContain("Area 25 µm²");
    expect(texts).toContain("Eq. diameter 5.642 µm");
    expect(texts).toContain("Feret max –");
    expect(texts).toContain("Circularity 0.785");
    expect(describeObject(r, null)[0]!.text).toBe("Area 100 px²");
  });
});
