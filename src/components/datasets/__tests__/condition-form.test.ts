import { describe, expect, it } from "vitest";
import { tagFromForm } from "../condition-form";

describe("tagFromForm", () => {
  it.each([
    [{ key: "Capacity", value: "8", unit: "mAh" }, "", { key: "capacity", value: 8, unit: "mAh" }],
    [{ key: "capacity", value: "8mAh", unit: "" }, "", { key: "capacity", value: 8, unit: "mAh" }],
    [{ key: "capacity", value: "8", unit: "" }, "mAh", { key: "capacity", value: 8, unit: "mAh" }],
    [{ key: "cycles", value: "2 cycles", unit: "" }, "", { key: "cycles", value: 2, unit: null }],
    [{ key: "electrolyte", value: "LiPF6", unit: "" }, "", { key: "electrolyte", value: "LiPF6", unit: null }],
    [{ key: "electrolyte", value: "LiPF6", unit: "" }, "M", { key: "electrolyte", value: "LiPF6", unit: null }],
  ])("%j (hint %j)", (form, hint, tag) => {
    expect(tagFromForm(form, hint)).toEqual(tag);
  });

  it.each([
    [{ key: "", value: "8", unit: "" }, "A condition needs a name (e.g. capacity)."],
    [{ key: "capacity", value: "", unit: "" }, "A condition needs a value."],
    [{ key: "capacity", value: "eight", unit: "mAh" }, "A value with a unit must be a number."],
  ])("refuses %j", (form, error) => {
    expect(tagFromForm(form)).toEqual({ error });
  });
});
