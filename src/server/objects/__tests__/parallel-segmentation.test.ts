import { afterAll, describe, expect, test } from "vitest";
import { particles } from "~/core/objects/__tests__/synthetic-particles";
import { regionProps } from "~/core/objects/region-props";
import { segmentObjects, type ObjectSegmentationParams } from "~/core/objects/segment-objects";
import { closeSegmentationHelpers, regionPropsInParallel, segmentObjectsInParallel } from "../parallel-segmentation";

afterAll(async () => {
  await closeSegmentationHelpers();
});

describe("segmentObjectsInParallel (real worker threads, shared memory)", () => {
  const image = particles(640, 480, 400, 11);
  const variants: Partial<ObjectSegmentationParams>[] = [
    {},
    { polarity: "dark", smoothSigma: 0 },
    { excludeBorder: true, minArea: 25, mergeRatio: 0.3 },
    { split: false },
  ];
  test.each(variants.map((v) => [JSON.stringify(v), v] as const))(
    "2 and 3 threads: the serial labels, %s",
    async (_n, params) => {
      const serial = segmentObjects(image, params);
      for (const threads of [2, 3]) {
        const parallel = await segmentObjectsInParallel(image, params, threads);
        expect(parallel.count).toBe(serial.count);
        expect(parallel.polarity).toBe(serial.polarity);
        expect(parallel.labels).toEqual(serial.labels);
      }
    },
  );

  test("one thread runs on the caller; bad input is refused as by segmentObjects", async () => {
    expect((await segmentObjectsInParallel(image, {}, 1)).labels).toEqual(segmentObjects(image).labels);
    await expect(segmentObjectsInParallel(image, { h: -1 }, 2)).rejects.toThrow(/h must be a finite number > 0/);
    await expect(segmentObjectsInParallel({ width: 3, height: 3, data: new Uint8Array(4) }, {}, 2)).rejects.toThrow(
      RangeError,
    );
  });

  test("regionPropsInParallel: the serial records, in label order, for 2 and 3 threads", async () => {
    const { labels } = segmentObjects(image, { polarity: "bright" });
    const serial = regionProps(labels, image.width, image.height);
    expect(serial.length).toBeGreaterThan(100);
    for (const threads of [2, 3]) {
      expect(await regionPropsInParallel(labels, image.width, image.height, {}, threads)).toEqual(serial);
    }
    expect(await regionPropsInParallel(new Int32Array(12), 4, 3, {}, 2)).toEqual([]);
  });

  test("an image without foreground: count 0", async () => {
    const flat = { width: 50, height: 40, data: new Uint8Array(2000).fill(90) };
    expect((await segmentObjectsInParallel(flat, {}, 2)).count).toBe(0);
  });
});
