import { describe, expect, test } from "vitest";
import { shownObjectsMethod } from "../use-objects";

describe("shownObjectsMethod (classical objects or SAM 2 masks in the Objects panel and layer)", () => {
  test("unpicked: the classical set when there is one, SAM 2's when it is the only one", () => {
    expect(shownObjectsMethod(null, { classical: true, sam2: true })).toBe("classical");
    expect(shownObjectsMethod(null, { classical: false, sam2: true })).toBe("sam2");
    expect(shownObjectsMethod(null, { classical: false, sam2: false })).toBe("classical");
  });

  test("a pick is followed while its set exists", () => {
    expect(shownObjectsMethod("sam2", { classical: true, sam2: true })).toBe("sam2");
    expect(shownObjectsMethod("classical", { classical: false, sam2: true })).toBe("classical");
  });

  test("a SAM 2 pick without a SAM 2 set falls back to classical (the picker is hidden then)", () => {
    expect(shownObjectsMethod("sam2", { classical: true, sam2: false })).toBe("classical");
  });
});
