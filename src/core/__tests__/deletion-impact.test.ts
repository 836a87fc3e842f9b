import { describe, expect, it } from "vitest";
import { describeImageDeletion, describeLabelClassDeletion, type DeletionImpact } from "../deletion-impact";

const none: DeletionImpact = {
  name: null,
  images: 0,
  regions: 0,
  labels: 0,
  analyses: 0,
  objectSets: 0,
  tags: 0,
  unclassifiedRegions: 0,
};

describe("deletion summaries", () => {
  it("names every kind of row an image deletion removes", () => {
    expect(describeImageDeletion(none)).toBe("It holds no images: nothing else is removed.");
    expect(describeImageDeletion({ ...none, images: 1 })).toBe("Removes 1 image (no regions, labels or analyses).");
    expect(describeImageDeletion({ ...none, images: 2, regions: 5, labels: 1, analyses: 2 })).toBe(
      "Removes 2 images with their 5 regions, 1 image label and 2 analyses.",
    );
    expect(describeImageDeletion({ ...none, images: 1, objectSets: 1 })).toBe("Removes 1 image with its 1 object set.");
  });

  it("says what a label class deletion does to labels and regions", () => {
    expect(describeLabelClassDeletion(none)).toBe("No image is labelled with it; no region uses it.");
    expect(describeLabelClassDeletion({ ...none, labels: 3, unclassifiedRegions: 1 })).toBe(
      "3 images lose this label; 1 region keeps its shape without a class.",
    );
  });
});
