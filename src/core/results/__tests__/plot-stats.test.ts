import { describe, expect, it } from "vitest";
import { evenSampleIndices } from "../object-descriptors";
import { boxStats, groupRows, overlaidHistograms, quantileSorted } from "../plot-stats";
import { columnsOf } from "../result-columns";

describe("box-plot statistics", () => {
  it("quartiles interpolate between order statistics (type 7, as R and NumPy)", () => {
    // numpy.percentile([1, 2, 3, 4], [25, 50, 75]) = [1.75, 2.5, 3.25]
    expect([0.25, 0.5, 0.75].map((p) => quantileSorted([1, 2, 3, 4], p))).toEqual([1.75, 2.5, 3.25]);
    expect(quantileSorted([7], 0.25)).toBe(7);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });

  it("whiskers stop at the most extreme values within 1.5 IQR; the rest are outliers", () => {
    const stats = boxStats([1, 2, 3, 4, 5, 6, 7, 8, 100, Number.NaN])!;
    // q1 = 3, q3 = 7, IQR = 4: fences -3 and 13.
    expect(stats).toMatchObject({ n: 9, min: 1, max: 100, q1: 3, median: 5, q3: 7, whiskerLow: 1, whiskerHigh: 8 });
    expect(stats.outliers).toBe(1);
    expect(stats.mean).toBeCloseTo(136 / 9, 12);
    // Sample standard deviation (n - 1), as numpy.std(ddof=1).
    expect(stats.sd).toBeCloseTo(31.915688, 5);
  });

  it("one value: every statistic is that value, spread 0; no values: null", () => {
    expect(boxStats([2.5])).toMatchObject({ n: 1, q1: 2.5, median: 2.5, q3: 2.5, sd: 0, whiskerLow: 2.5, outliers: 0 });
    expect(boxStats([])).toBeNull();
  });
});

describe("grouping", () => {
  const row = (dataset: string, tags: Record<string, { value: number | string; unit: string | null }>) => ({
    dataset,
    tags,
  });
  const rows = [
    row("b", { capacity: { value: 10, unit: "mAh" } }),
    row("a", { capacity: { value: 2, unit: "mAh" } }),
    row("a", {}),
    row("b", { capacity: { value: 2, unit: "mAh" }, electrolyte: { value: "LP40", unit: null } }),
  ];

  it("by a tag: numbers in numeric order, rows without the tag last", () => {
    const groups = groupRows(rows, { kind: "tag", key: "capacity" });
    expect(groups.map((g) => [g.group, g.rows.length])).toEqual([
      ["2 mAh", 2],
      ["10 mAh", 1],
      ["(no capacity)", 1],
    ]);
  });

  it("by dataset, and all in one", () => {
    expect(groupRows(rows, { kind: "dataset" }).map((g) => g.group)).toEqual(["a", "b"]);
    expect(groupRows(rows, { kind: "none" }).map((g) => g.rows.length)).toEqual([4]);
  });
});

describe("overlaid histograms", () => {
  it("share bins across groups and normalise each group to its own size", () => {
    const bins = overlaidHistograms(
      [
        { group: "x", values: [0, 1, 2, 3] },
        { group: "y", values: [4, 4] },
      ],
      4,
    );
    expect(bins.filter((b) => b.group === "x").map((b) => b.count)).toEqual([1, 1, 1, 1]);
    expect(bins.filter((b) => b.group === "y").map((b) => [b.x1, b.x2, b.fraction])).toEqual([
      [0, 1, 0],
      [1, 2, 0],
      [2, 3, 0],
      [3, 4, 1],
    ]);
    expect(overlaidHistograms([{ group: "x", values: [] }])).toEqual([]);
  });
});

describe("columns and sampling", () => {
  it("orders columns: prediction, class probabilities, Otsu/texture, clusters, objects, descriptors", () => {
    const keys = ["descriptor:z", "object_count", "cluster:k4:1", "cluster:k3:2", "mean_contrast", "p:b", "p:a"];
    expect(columnsOf([...keys, "probability", "p:a"]).map((c) => c.key)).toEqual([
      "probability",
      "p:a",
      "p:b",
      "mean_contrast",
      "cluster:k3:2",
      "cluster:k4:1",
      "object_count",
      "descriptor:z",
    ]);
  });

  it("samples evenly over the whole set", () => {
    expect(evenSampleIndices(3, 5)).toEqual([0, 1, 2]);
    expect(evenSampleIndices(10, 4)).toEqual([0, 2, 5, 7]);
  });
});
