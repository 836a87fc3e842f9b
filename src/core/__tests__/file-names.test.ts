import { describe, expect, it } from "vitest";
import { checkImageFileName, fileExtension } from "../file-names";

describe("fileExtension", () => {
  it("is the lower-case extension, none for dot files or a trailing dot", () => {
    expect(fileExtension("a.TIF")).toBe("tif");
    expect(fileExtension("a.b.png")).toBe("png");
    expect(fileExtension(".hidden")).toBe("");
    expect(fileExtension("name.")).toBe("");
    expect(fileExtension("none")).toBe("");
  });
});

describe("checkImageFileName", () => {
  it("trims, and keeps the current extension when none is given", () => {
    expect(checkImageFileName("  run 4 ", "a.tif")).toEqual({ ok: true, name: "run 4.tif" });
    expect(checkImageFileName("run 4.", "a.TIF")).toEqual({ ok: true, name: "run 4.TIF" });
    expect(checkImageFileName("run 4.tiff", "a.tif")).toEqual({ ok: true, name: "run 4.tiff" });
    expect(checkImageFileName("run.jpeg", "a.jpg")).toEqual({ ok: true, name: "run.jpeg" });
    expect(checkImageFileName("anything.xyz", "no-extension")).toEqual({ ok: true, name: "anything.xyz" });
  });

  it("refuses empty names, separators, control characters and another format's extension", () => {
    expect(checkImageFileName("  ", "a.png")).toEqual({ ok: false, message: "Give the image a file name" });
    expect(checkImageFileName("a/b.png", "a.png")).toMatchObject({
      ok: false,
      message: "A file name cannot contain / or \\",
    });
    expect(checkImageFileName("a\\b.png", "a.png")).toMatchObject({ ok: false });
    expect(checkImageFileName("a\u0007.png", "a.png")).toMatchObject({ ok: false });
    expect(checkImageFileName("..", "a.png")).toMatchObject({ ok: false });
    expect(checkImageFileName("a.jpg", "a.png")).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^Keep the extension \.png/),
    });
  });

  it("refuses names over the limit, counting the extension it adds", () => {
    expect(checkImageFileName("x".repeat(251), "a.png")).toEqual({ ok: true, name: `${"x".repeat(251)}.png` });
    expect(checkImageFileName("x".repeat(252), "a.png")).toMatchObject({ ok: false });
  });
});
