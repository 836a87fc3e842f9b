import { describe, expect, it } from "vitest";
import { metadataTags } from "../metadata-tags";
import { formatTagValue, imageTagsSchema, tagKeySchema, tagValueSchema } from "../tags";

describe("tag schemas", () => {
  it("normalises keys and reads numbers with units and texts", () => {
    expect(tagKeySchema.parse("  Current   Density ")).toBe("current density");
    expect(tagValueSchema.parse({ key: "Capacity", value: 8, unit: "mAh" })).toEqual({
      key: "capacity",
      value: 8,
      unit: "mAh",
    });
    expect(tagValueSchema.parse({ key: "electrolyte", value: " LiPF6 " })).toEqual({
      key: "electrolyte",
      value: "LiPF6",
      unit: null,
    });
    expect(tagValueSchema.parse({ key: "cycles", value: 1, unit: "" })).toEqual({
      key: "cycles",
      value: 1,
      unit: null,
    });
  });

  it.each([
    [{ key: "", value: 1 }, "A condition needs a name (e.g. capacity)."],
    [{ key: "x".repeat(41), value: 1 }, "A condition name has at most 40 characters."],
    [{ key: "a=b", value: 1 }, "A condition name holds letters"],
    [{ key: "a", value: "" }, "A condition needs a value."],
    [{ key: "a", value: "v".repeat(201) }, "A condition value has at most 200 characters."],
    [{ key: "a", value: 1e16 }, "A number value must be smaller than 10^15."],
    [{ key: "a", value: "text", unit: "mAh" }, "Only a number value has a unit."],
    [{ key: "a", value: 1, unit: "u".repeat(17) }, "A unit has at most 16 characters."],
  ])("refuses %j", (input, message) => {
    const parsed = tagValueSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain(message);
  });

  it("bounds an image's tags and refuses a key twice", () => {
    const many = Array.from({ length: 33 }, (_, i) => ({ key: `k${i}`, value: i }));
    expect(imageTagsSchema.safeParse(many).error?.issues[0]?.message).toBe("An image has at most 32 conditions.");
    expect(
      imageTagsSchema.safeParse([
        { key: "a", value: 1 },
        { key: "A", value: 2 },
      ]).success,
    ).toBe(false);
  });

  it("formats values", () => {
    expect(formatTagValue({ value: 8, unit: "mAh" })).toBe("8 mAh");
    expect(formatTagValue({ value: 1, unit: null })).toBe("1");
    expect(formatTagValue({ value: "LiPF6", unit: null })).toBe("LiPF6");
  });
});

describe("metadataTags", () => {
  it("turns FEI facts into hv, magnification, working distance, detector and pixel size", () => {
    const instrument = {
      vendor: "FEI / Thermo Fisher",
      acceleratingVoltageKv: 5,
      magnification: 1000,
      workingDistanceMm: 11.365,
      detector: "ETD",
    };
    expect(metadataTags({ instrument, pixelSizeUm: 0.134896 })).toEqual([
      { key: "hv", value: 5, unit: "kV" },
      { key: "magnification", value: 1000, unit: "x" },
      { key: "working distance", value: 11.365, unit: "mm" },
      { key: "detector", value: "ETD", unit: null },
      { key: "pixel size", value: 134.896, unit: "nm" },
    ]);
  });

  it("gives nothing without instrument facts (a PNG's density is not microscope metadata)", () => {
    expect(metadataTags({ instrument: undefined, pixelSizeUm: 0.5 })).toEqual([]);
    expect(metadataTags({ instrument: { vendor: "Zeiss", detector: "" }, pixelSizeUm: null })).toEqual([]);
  });
});
