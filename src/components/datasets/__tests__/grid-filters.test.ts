import { describe, expect, it, test } from "vitest";
import { DEFAULT_GRID_FILTER, filterAndSort, hasTag, moveFocus, UNCERTAIN_CLASS, type GridItem } from "../grid-filters";

const item = (
  id: string,
  prediction: string | null,
  confidence: number | null,
  labelName: string | null,
  minute: number,
): GridItem => ({
  id,
  fileName: `${id}.png`,
  createdAt: new Date(2026, 0, 1, 0, minute),
  prediction,
  confidence,
  labelClassId: labelName ? `class-${labelName}` : null,
  labelName,
});

const items = [
  item("a", "Dendrites", 0.9, "Dendrites", 1),
  item("b", "Spheroids", 0.6, "dendrites", 2),
  item("c", null, null, null, 3),
  item("d", "Dendrites", 0.7, null, 4),
];
const ids = (list: GridItem[]) => list.map((i) => i.id);

describe("dataset grid filters", () => {
  test("by class (predicted or labelled, any case)", () => {
    expect(ids(filterAndSort(items, { ...DEFAULT_GRID_FILTER, className: "dendrites" }))).toEqual(["a", "b", "d"]);
    expect(ids(filterAndSort(items, { ...DEFAULT_GRID_FILTER, className: "Spheroids" }))).toEqual(["b"]);
  });

  test('"uncertain" shows the images whose prediction is uncertain', () => {
    const withUncertain = [...items, { ...item("e", "Dendrites", 0.99, null, 5), uncertainReason: "low confidence" }];
    expect(ids(filterAndSort(withUncertain, { ...DEFAULT_GRID_FILTER, className: UNCERTAIN_CLASS }))).toEqual(["e"]);
  });

  test("labelled / unlabelled / disagreeing", () => {
    expect(ids(filterAndSort(items, { ...DEFAULT_GRID_FILTER, label: "labelled" }))).toEqual(["a", "b"]);
    expect(ids(filterAndSort(items, { ...DEFAULT_GRID_FILTER, label: "unlabelled" }))).toEqual(["c", "d"]);
    expect(ids(filterAndSort(items, { ...DEFAULT_GRID_FILTER, disagreeing: true }))).toEqual(["b"]);
  });

  test("sort by confidence puts unpredicted images last both ways", () => {
    expect(ids(filterAndSort(items, { ...DEFAULT_GRID_FILTER, sort: "confidence-desc" }))).toEqual([
      "a",
      "d",
      "b",
      "c",
    ]);
    expect(ids(filterAndSort(items, { ...DEFAULT_GRID_FILTER, sort: "confidence-asc" }))).toEqual(["b", "d", "a", "c"]);
  });

  test("arrow keys move through rows and columns, clamped", () => {
    expect(moveFocus(0, "ArrowRight", 4, 10)).toBe(1);
    expect(moveFocus(1, "ArrowDown", 4, 10)).toBe(5);
    expect(moveFocus(8, "ArrowDown", 4, 10)).toBe(9);
    expect(moveFocus(0, "ArrowLeft", 4, 10)).toBe(0);
    expect(moveFocus(5, "End", 4, 10)).toBe(9);
  });
});

describe("the condition filter", () => {
  const tagged = (tags: { key: string; value: number | string; unit: string | null }[]) => ({ tags });
  const item = tagged([
    { key: "capacity", value: 8, unit: "mAh" },
    { key: "cycles", value: 1, unit: null },
    { key: "electrolyte", value: "LiPF6", unit: null },
  ]);

  it.each([
    ["capacity", "8", true],
    ["Capacity", "8 mAh", true],
    ["capacity", "8.0mAh", true],
    ["capacity", "8 Ah", false],
    ["capacity", "6", false],
    ["cycles", "1", true],
    ["electrolyte", "lipf6", true],
    ["electrolyte", "LiTFSI", false],
    ["capacity", "", true],
    ["hv", "", false],
  ])("%s = %j -> %s", (key, value, expected) => {
    expect(hasTag(item, { key, value })).toBe(expected);
  });

  it("filters the grid by key = value", () => {
    const base = {
      fileName: "a",
      createdAt: new Date(0),
      prediction: null,
      confidence: null,
      labelClassId: null,
      labelName: null,
    };
    const items = [
      { ...base, id: "a", tags: [{ key: "capacity", value: 8, unit: "mAh" }] },
      { ...base, id: "b", tags: [{ key: "capacity", value: 6, unit: "mAh" }] },
      { ...base, id: "c" },
    ];
    const shown = filterAndSort(items, { ...DEFAULT_GRID_FILTER, tag: { key: "capacity", value: "8" } });
    expect(shown.map((i) => i.id)).toEqual(["a"]);
    expect(filterAndSort(items, { ...DEFAULT_GRID_FILTER, tag: { key: "", value: "" } })).toHaveLength(3);
  });
});
