import { afterAll, describe, expect, test } from "vitest";
import type { GreyImage } from "~/core/analysis/raster";
import { regionProps } from "~/core/objects/region-props";
import { segmentObjects, type ObjectSegmentationParams } from "~/core/objects/segment-objects";
import { closeSegmentationHelpers, regionPropsInParallel, segmentObjectsInParallel } from "../parallel-segmentation";

/** Bright ellipses, some touching, on a noisy gradient, from a seeded LCG. */
function particles(width: number, height: number, count: number, seed: number): GreyImage {
  let s = seed >>> 0;
  const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = 40 + (i % width) / 30 + rand() * 30;
  for (let k = 0; k < count; k++) {
    const cx = rand() * width;
    const cy = rand() * height;
    const a = 3 + rand() * 14;
    const b = a * (0.4 + 0.6 * rand());
    for (let y = Math.max(0, Math.floor(cy - a)); y < Math.min(height, cy + a + 1); y++) {
      for (let x = Math.max(0, Math.floor(cx - a)); x < Math.min(width, cx + a + 1); x++) {
        if (((x - cx) / a) ** 2 + ((y - cy) / b) ** 2 <= 1) data[y * width + x] = 170 + rand() * 60;
      }
    }
  }
  return { width, height, data };
}

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
