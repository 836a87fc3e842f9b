import { describe, expect, test } from "vitest";
import { segmentationSteps, segmentObjects, type ObjectSegmentationParams } from "../segment-objects";
import { regionProps, regionPropsSteps } from "../region-props";
import { PLAIN_MEMORY, rowBand, runPart, type PartedStep } from "../segmentation-steps";
import { particles } from "./synthetic-particles";

/** A driver that runs every step in `parts` parts, last part first, as threads might finish. */
function runInParts<R>(steps: Generator<PartedStep, R, unknown[]>, parts: number): R {
  let next = steps.next();
  while (next.done !== true) {
    const outputs: unknown[] = new Array(parts);
    for (let k = parts - 1; k >= 0; k--) outputs[k] = runPart(next.value, k, parts);
    next = steps.next(outputs);
  }
  return next.value;
}

describe("segmentationSteps in parts", () => {
  const image = particles(301, 203, 120, 7);
  const variants: Partial<ObjectSegmentationParams>[] = [
    {},
    { polarity: "dark" },
    { smoothSigma: 0, threshold: { method: "manual", value: 120 } },
    { excludeBorder: true, minArea: 30, maxArea: 2000, mergeRatio: 0, polarity: "bright" },
    { split: false },
  ];
  test.each(variants.map((v) => [JSON.stringify(v), v] as const))(
    "2, 3 and 7 parts give exactly the serial result: %s",
    (_name, params) => {
      const serial = segmentObjects(image, params);
      expect(serial.count).toBeGreaterThan(0);
      for (const parts of [2, 3, 7]) {
        const split = runInParts(segmentationSteps(image, params, PLAIN_MEMORY), parts);
        expect(split.count).toBe(serial.count);
        expect(split.polarity).toBe(serial.polarity);
        expect(split.threshold).toBe(serial.threshold);
        expect(split.labels).toEqual(serial.labels);
      }
    },
  );

  test("an image larger than the polarity copy (area-averaged before the spreads) too", () => {
    const big = particles(1300, 140, 300, 3);
    const serial = segmentObjects(big);
    expect(runInParts(segmentationSteps(big, {}, PLAIN_MEMORY), 2).labels).toEqual(serial.labels);
  });

  test("row bands cover the image once, in order", () => {
    for (const [height, parts] of [
      [10, 3],
      [2, 5],
      [1024, 2],
    ] as const) {
      const bands = Array.from({ length: parts }, (_, k) => rowBand(height, k, parts));
      expect(bands[0]![0]).toBe(0);
      expect(bands[parts - 1]![1]).toBe(height);
      for (let k = 1; k < parts; k++) expect(bands[k]![0]).toBe(bands[k - 1]![1]);
    }
  });
});

describe("regionPropsSteps in parts", () => {
  test("2, 3 and 7 parts give exactly the serial records (perimeter, hull, Feret included)", () => {
    const image = particles(301, 203, 120, 5);
    const { labels } = segmentObjects(image, { polarity: "bright" });
    const serial = regionProps(labels, image.width, image.height);
    expect(serial.length).toBeGreaterThan(20);
    for (const parts of [2, 3, 7]) {
      const steps = regionPropsSteps(labels, image.width, image.height, {}, PLAIN_MEMORY);
      expect(runInParts(steps, parts)).toEqual(serial);
    }
  });
});
