import { describe, expect, it } from "vitest";
import {
  analysedAreaInImageSchema,
  analysedAreaSchema,
  areaAboveDataBar,
  cropGreyImage,
  cropPlane,
  parseAnalysedAreaRecord,
  scaleAnalysedArea,
  uncropPlane,
} from "../analysed-area";

const messages = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
  result.error?.issues.map((issue) => issue.message) ?? [];

describe("analysed area schemas", () => {
  it("accepts whole pixels inside the image", () => {
    expect(analysedAreaInImageSchema({ width: 10, height: 8 }).parse({ x: 1, y: 0, width: 9, height: 8 })).toEqual({
      x: 1,
      y: 0,
      width: 9,
      height: 8,
    });
  });

  it("refuses fractions, negatives, empty sizes and non-numbers with a sentence each", () => {
    expect(messages(analysedAreaSchema.safeParse({ x: 0.5, y: -1, width: 0, height: "3" }))).toEqual([
      "x must be a whole number of pixels",
      "y must be 0 or more",
      "width must be at least 1 pixel",
      "height must be a number",
    ]);
  });

  it("says which edge goes past the image", () => {
    const result = analysedAreaInImageSchema({ width: 10, height: 8 }).safeParse({ x: 5, y: 2, width: 6, height: 7 });
    expect(messages(result)).toEqual([
      "x + width = 11 goes past the image's right edge (the image is 10 px wide)",
      "y + height = 9 goes past the image's bottom edge (the image is 8 px tall)",
    ]);
  });

  it("reads stored records back, and anything malformed as the whole image", () => {
    expect(parseAnalysedAreaRecord({ x: 0, y: 0, width: 4, height: 3, source: "detected" })).toMatchObject({
      height: 3,
    });
    expect(parseAnalysedAreaRecord(null)).toBeNull();
    expect(parseAnalysedAreaRecord({ x: 0, y: 0, width: 4, height: 3, source: "guess" })).toBeNull();
  });
});

describe("analysed area geometry", () => {
  it("takes the rows above a data bar", () => {
    expect(areaAboveDataBar({ width: 1536, height: 1103 }, 79)).toEqual({ x: 0, y: 0, width: 1536, height: 1024 });
    expect(areaAboveDataBar({ width: 10, height: 10 }, 0)).toBeNull();
    expect(areaAboveDataBar({ width: 10, height: 10 }, 10)).toBeNull();
  });

  it("scales between resolutions, staying inside and at least 1 px", () => {
    const area = { x: 0, y: 0, width: 1536, height: 1024 };
    expect(scaleAnalysedArea(area, { width: 1536, height: 1103 }, { width: 512, height: 368 })).toEqual({
      x: 0,
      y: 0,
      width: 512,
      height: 342,
    });
    const tiny = scaleAnalysedArea(
      { x: 9, y: 9, width: 1, height: 1 },
      { width: 10, height: 10 },
      { width: 2, height: 2 },
    );
    expect(tiny).toEqual({ x: 1, y: 1, width: 1, height: 1 });
  });

  it("crops and uncrops planes and grey images", () => {
    const plane = Int32Array.from({ length: 12 }, (_, i) => i + 1); // 4 x 3
    const area = { x: 1, y: 1, width: 2, height: 2 };
    const cropped = cropPlane(plane, 4, 3, area);
    expect(Array.from(cropped)).toEqual([6, 7, 10, 11]);
    expect(cropped).toBeInstanceOf(Int32Array);
    expect(Array.from(uncropPlane(cropped, area, 4, 3))).toEqual([0, 0, 0, 0, 0, 6, 7, 0, 0, 10, 11, 0]);
    const grey = cropGreyImage({ width: 4, height: 3, data: Uint8Array.from(plane) }, area);
    expect(grey).toEqual({ width: 2, height: 2, data: Uint8Array.from([6, 7, 10, 11]) });
    expect(() => cropPlane(plane, 4, 3, { x: 3, y: 0, width: 2, height: 1 })).toThrow(RangeError);
    expect(() => uncropPlane(cropped, { x: 0, y: 0, width: 3, height: 1 }, 4, 3)).toThrow(RangeError);
  });
});
