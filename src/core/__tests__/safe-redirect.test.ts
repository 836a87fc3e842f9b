import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "../safe-redirect";

describe("safeRedirectPath", () => {
  it("keeps same-site paths with their query and fragment", () => {
    expect(safeRedirectPath("/projects/abc")).toBe("/projects/abc");
    expect(safeRedirectPath("/projects/abc?tab=images#top")).toBe("/projects/abc?tab=images#top");
  });

  it.each([
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/%5Cevil.example",
    "%2F%5Cevil.example",
    "/%2F%2Fevil.example",
    "%2F%2Fevil.example",
    "/%252F%252Fevil.example",
    "https://evil.example/projects",
    "javascript:alert(1)",
    "/\tevil",
    "/\n/evil.example",
    "projects",
    "",
  ])("refuses %j", (value) => {
    expect(safeRedirectPath(value)).toBe("/projects");
  });

  it("refuses non-strings", () => {
    expect(safeRedirectPath(["/a", "/b"])).toBe("/projects");
    expect(safeRedirectPath(undefined, "/home")).toBe("/home");
  });
});
