import { describe, expect, it } from "vitest";
import { perClassMetrics } from "../per-class-metrics";

describe("perClassMetrics", () => {
  it("reads precision from columns and recall from rows", () => {
    // 8 dendritic: 6 right, 2 called spherical; 4 spherical: 1 called dendritic, 3 right.
    const [dendritic, spherical] = perClassMetrics(
      ["dendritic", "spherical"],
      [
        [6, 2],
        [1, 3],
      ],
    );
    expect(dendritic).toEqual({
      className: "dendritic",
      support: 8,
      predicted: 7,
      truePositives: 6,
      precision: 6 / 7,
      recall: 6 / 8,
    });
    expect(spherical).toEqual({
      className: "spherical",
      support: 4,
      predicted: 5,
      truePositives: 3,
      precision: 3 / 5,
      recall: 3 / 4,
    });
  });

  it("leaves precision undefined (null, never NaN or 0) for a class that is never predicted", () => {
    const metrics = perClassMetrics(
      ["a", "b", "c"],
      [
        [3, 1, 0],
        [0, 2, 0],
        [2, 1, 0],
      ],
    );
    expect(metrics[2]).toEqual({
      className: "c",
      support: 3,
      predicted: 0,
      truePositives: 0,
      precision: null,
      recall: 0,
    });
    expect(metrics[0]!.precision).toBe(3 / 5);
    expect(metrics.some((m) => Number.isNaN(m.precision) || Number.isNaN(m.recall))).toBe(false);
  });

  it("leaves recall undefined for a class no image belongs to, while its wrong predictions still count", () => {
    const metrics = perClassMetrics(
      ["a", "b"],
      [
        [4, 1],
        [0, 0],
      ],
    );
    expect(metrics[1]).toEqual({
      className: "b",
      support: 0,
      predicted: 1,
      truePositives: 0,
      precision: 0,
      recall: null,
    });
  });

  it("gives nothing for no classes, and nulls for an all-zero matrix", () => {
    expect(perClassMetrics([], [])).toEqual([]);
    expect(
      perClassMetrics(
        ["a", "b"],
        [
          [0, 0],
          [0, 0],
        ],
      ),
    ).toEqual([
      { className: "a", support: 0, predicted: 0, truePositives: 0, precision: null, recall: null },
      { className: "b", support: 0, predicted: 0, truePositives: 0, precision: null, recall: null },
    ]);
  });

  it("refuses a matrix that does not match the classes", () => {
    expect(() => perClassMetrics(["a", "b"], [])).toThrow(RangeError);
    expect(() => perClassMetrics(["a", "b"], [[1, 2], [3]])).toThrow(RangeError);
    expect(() => perClassMetrics(["a"], [[1, 2]])).toThrow(RangeError);
  });
});
