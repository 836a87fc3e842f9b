import { describe, expect, it } from "vitest";
import {
  applyPattern,
  compilePattern,
  PatternError,
  suggestPathTags,
  suggestPattern,
  tagsFromPath,
} from "../path-pattern";
import { parseQuantity, unitMeaning } from "../quantity";
import { LI_SNAPSHOT_PATHS, LI_SOURCE_PATHS } from "./li-sem-ucsd-paths";

const tags = (pattern: string, path: string) => {
  const result = tagsFromPath(pattern, path);
  if (!result.ok) throw new Error(result.error);
  return result.tags;
};
const errorOf = (pattern: string, path: string) => {
  const result = tagsFromPath(pattern, path);
  return result.ok ? null : result.error;
};

describe("parseQuantity and unitMeaning", () => {
  it.each([
    ["8mAh", 8, "mAh", "capacity", "mAh"],
    ["1 cycle", 1, "cycle", "cycles", null],
    ["50cycles", 50, "cycles", "cycles", null],
    ["0.5mA/cm2", 0.5, "mA/cm2", "current density", "mA/cm2"],
    ["0.5mAcm-2", 0.5, "mAcm-2", "current density", "mA/cm2"],
    ["3mAh/cm2", 3, "mAh/cm2", "areal capacity", "mAh/cm2"],
    ["10kV", 10, "kV", "hv", "kV"],
    ["25C", 25, "C", "temperature", "°C"],
    ["0.5C", 0.5, "C", "c-rate", "C"],
    ["-20°C", -20, "°C", "temperature", "°C"],
    ["1000x", 1000, "x", "magnification", "x"],
    ["1M", 1, "M", "concentration", "M"],
    ["12h", 12, "h", "time", "h"],
    ["0,5mAh", 0.5, "mAh", "capacity", "mAh"],
    ["300rpm", 300, "rpm", "rpm", "rpm"],
  ])("%s", (text, value, unit, key, kept) => {
    expect(parseQuantity(text)).toEqual({ value, unit });
    expect(unitMeaning(unit, value)).toEqual({ key, unit: kept });
  });

  it.each(["Image3", "1000-1A", "EC-DMC", "LiPF6", "1000_edge", "", "mAh"])("%s is not a quantity", (text) => {
    expect(parseQuantity(text)).toBeNull();
  });

  it("reads a bare number as a number without a unit", () => {
    expect(parseQuantity("42")).toEqual({ value: 42, unit: null });
    expect(parseQuantity("1e-3")).toEqual({ value: 0.001, unit: null });
  });
});

describe("the li_sem_ucsd series (real folder names)", () => {
  it("suggests {capacity}_{cycles}/* for the snapshot and reads every image's capacity and cycles", () => {
    const images = LI_SNAPSHOT_PATHS.filter((path) => path.startsWith("li_li_"));
    expect(images).toHaveLength(60);
    const pattern = suggestPattern(images);
    expect(pattern).toBe("{capacity}_{cycles}/*");
    const found = new Map<string, number>();
    for (const path of images) {
      const [capacity, cycles] = tags(pattern!, path);
      const folder = path.split("/")[1]!;
      expect(capacity).toEqual({ key: "capacity", value: Number(/^(\d+)mAh/.exec(folder)![1]), unit: "mAh" });
      expect(cycles).toEqual({ key: "cycles", value: Number(/_(\d+)cycles?$/.exec(folder)![1]), unit: null });
      const condition = `${String(capacity!.value)} mAh, ${String(cycles!.value)} cycles`;
      found.set(condition, (found.get(condition) ?? 0) + 1);
    }
    expect(Object.fromEntries(found)).toEqual({
      "3 mAh, 50 cycles": 8,
      "6 mAh, 1 cycles": 8,
      "6 mAh, 10 cycles": 13,
      "6 mAh, 50 cycles": 16,
      "8 mAh, 1 cycles": 15,
    });
  });

  it("finds capacity and cycles in the raw TIFF's file name, not the image number", () => {
    expect(suggestPathTags("raw_tiff_samples/plated_6mAh_1cycle_Image1.tif")).toEqual([
      { key: "capacity", value: 6, unit: "mAh" },
      { key: "cycles", value: 1, unit: null },
    ]);
    expect(suggestPattern(["raw_tiff_samples/plated_6mAh_1cycle_Image1.tif"])).toBe("*_{capacity}_{cycles}_*.*");
  });

  it("ignores the stripped images' file names (1000-1A, 1000_edge: magnification and index, no units)", () => {
    for (const path of LI_SNAPSHOT_PATHS.filter((p) => p.startsWith("li_li_cycling_stripped/"))) {
      expect(suggestPathTags(path).map((tag) => tag.key)).toEqual(["capacity", "cycles"]);
    }
  });

  it("reads the original repository's folders (8mAh/1 cycle/Image3.tif) with the issue's pattern", () => {
    expect(LI_SOURCE_PATHS).toHaveLength(61);
    expect(suggestPattern(LI_SOURCE_PATHS)).toBe("{capacity}/{cycles}/*");
    for (const path of LI_SOURCE_PATHS) {
      const read = tags("{capacity}/{cycles} cycle*/*", path);
      expect(read.map((tag) => tag.key)).toEqual(["capacity", "cycles"]);
      expect(read[1]!.unit).toBeNull();
    }
    expect(tags("{state} Li/{capacity}/{cycles}/*", LI_SOURCE_PATHS[0]!)).toEqual([
      { key: "state", value: "Plated", unit: null },
      { key: "capacity", value: 3, unit: "mAh" },
      { key: "cycles", value: 50, unit: null },
    ]);
  });
});

describe("suggestPattern", () => {
  it.each([
    ["8mAh/1 cycle/a.tif", "{capacity}/{cycles}/*"],
    ["run/0.5mAcm-2_25C/s_10kV.tif", "{current density}_{temperature}/*_{hv}.*"],
    ["8mAh-1cycle/a.png", "{capacity}-{cycles}/*"],
    ["Li 1M LiPF6 EC-DMC/2 cycles/img_01.tif", "* {concentration} */{cycles}/*"],
    ["sample A/5rpm/a.png", "{rpm}/*"],
    ["6mAh/6mAh_1cycle/a.png", "{capacity}_{cycles}/*"],
  ])("%s -> %s", (path, pattern) => {
    expect(suggestPattern([path])).toBe(pattern);
  });

  it.each([
    "a.png",
    "16bit.tif",
    "scan_512px.png",
    "1st run/3D/a.png",
    "2024-05-01/Image12.png",
    "LiPF6/sampleA_01.tif",
    "1000-1A.png",
  ])("%s suggests nothing", (path) => {
    expect(suggestPattern([path])).toBeNull();
    expect(suggestPathTags(path)).toEqual([]);
  });

  it("takes the pattern most paths share", () => {
    expect(suggestPattern(["8mAh/1 cycle/a.tif", "6mAh/10 cycles/b.tif", "odd_25C.tif"])).toBe("{capacity}/{cycles}/*");
  });
});

describe("patterns", () => {
  it("reads text and numbers, right-anchored (upper folders are ignored)", () => {
    expect(tags("{electrolyte}/{sample}_*.tif", "uploads/LiPF6/sampleA_01.tif")).toEqual([
      { key: "electrolyte", value: "LiPF6", unit: null },
      { key: "sample", value: "sampleA", unit: null },
    ]);
    expect(tags("{Current Density}/*", "0.5mA_cm2/x.png")).toEqual([
      { key: "current density", value: "0.5mA_cm2", unit: null },
    ]);
    expect(tags("{capacity} mAh/*", "8 MAH/x.png")).toEqual([{ key: "capacity", value: 8, unit: null }]);
    expect(tags("*_{hv}.*", "sample_a_10kV.tif")).toEqual([{ key: "hv", value: 10, unit: "kV" }]);
  });

  it("says where a path does not fit", () => {
    expect(errorOf("{capacity}/{cycles} cycle/*", "8mAh/b.tif")).toBe(
      '"8mAh/b.tif" has 1 folder and a file name; the pattern "{capacity}/{cycles} cycle/*" needs 2 folders and a file name.',
    );
    expect(errorOf("{capacity}/{cycles} cycle/*", "x/8mAh/2 cyc/b.tif")).toBe(
      'The folder "2 cyc" does not match "{cycles} cycle" (pattern "{capacity}/{cycles} cycle/*").',
    );
    expect(errorOf("{capacity}/{sample}.png", "8mAh/b.tif")).toBe(
      'The file name "b.tif" does not match "{sample}.png" (pattern "{capacity}/{sample}.png").',
    );
    expect(errorOf("{sample}/*", `${"x".repeat(201)}/a.png`)).toMatch(/^\{sample\} = "x+": .*at most 200 characters/);
  });

  it.each([
    ["", /empty/],
    ["*/*", /names no condition/],
    ["{}/*", /needs a name/],
    ["{a}{b}/*", /put some text between \{b\}/],
    ["{a}*/*", /between a condition and \*/],
    ["{a}/{a}", /appears twice/],
    ["{a/*", /has no partner/],
    ["{a$}/*", /letters, digits/],
    ["x".repeat(301), /more than 300 characters/],
  ])("refuses %j", (pattern, message) => {
    expect(() => compilePattern(pattern)).toThrow(PatternError);
    expect(() => compilePattern(pattern)).toThrow(message);
  });

  it("bounds the conditions per image", () => {
    const level = Array.from({ length: 8 }, (_, i) => `{k${i}}`).join("_");
    const pattern = compilePattern(
      [level, level.replaceAll("{k", "{j"), level.replaceAll("{k", "{m"), level.replaceAll("{k", "{n"), "{z}"].join(
        "/",
      ),
    );
    const name = Array.from({ length: 8 }, (_, i) => String(i)).join("_");
    const result = applyPattern(pattern, [name, name, name, name, "a"].join("/"));
    expect(result).toEqual({ ok: false, error: "An image has at most 32 conditions." });
  });
});
