/**
 * The caps of a COCO import, without a database: geometry checks against the image before any
 * allocation (the 20000 x 20000 RLE bomb), downsampling of masks bigger than the region grid,
 * and the document caps.
 */
import { describe, expect, it } from "vitest";
import { cocoRleToMask, maskToCocoRle } from "~/core/regions/coco-rle";
import { encodeMaskRuns, RegionGeometryError, REGION_LIMITS } from "~/core/regions/region-geometry";
import {
  checkedRleCounts,
  cocoAnnotationGeometries,
  cocoRleToMaskGeometry,
  decodeRleOnGrid,
  maskGridFor,
} from "../coco-geometry";
import { COCO_IMPORT_LIMITS } from "../coco-import-limits";
import { parseCocoBytes, parseCocoDocument } from "../import-coco-annotations";

/** Time and heap growth of `work` (heap and array buffers, after a GC when exposed). */
function measure<T>(work: () => T): { ms: number; heapMb: number; result: T | Error } {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage();
  const started = performance.now();
  let result: T | Error;
  try {
    result = work();
  } catch (error) {
    result = error as Error;
  }
  const ms = performance.now() - started;
  const after = process.memoryUsage();
  const heapMb = (after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / 1024 / 1024;
  return { ms, heapMb, result };
}

describe("RLE masks are checked against their image before anything is allocated", () => {
  const small = { width: 64, height: 48 };

  it("refuses a 20000 x 20000 RLE on a small image at once, without allocating the mask", () => {
    const bomb = { counts: [0, 20_000 * 20_000], size: [20_000, 20_000] as [number, number] };
    const { ms, heapMb, result } = measure(() => cocoRleToMaskGeometry(bomb, small));
    console.info(`20000 x 20000 RLE on a 64 x 48 image refused: ${ms.toFixed(1)} ms, +${heapMb.toFixed(1)} MB`);
    expect(result).toBeInstanceOf(RegionGeometryError);
    expect((result as Error).message).toBe("An RLE mask of 20000 x 20000 pixels does not fit its 64 x 48 image");
    expect(ms).toBeLessThan(200);
    expect(heapMb).toBeLessThan(20);
    // The annotation path says the same.
    expect(() => cocoAnnotationGeometries({ segmentation: bomb }, small)).toThrow(/does not fit its 64 x 48 image/);
  });

  it("refuses counts that do not add up to the image, from the counts alone", () => {
    const image = { width: 20_000, height: 20_000 };
    for (const counts of [
      [0, 20_000 * 20_000 + 1],
      [5, 7],
      [1, -1, 3],
      [1.5, 2],
    ]) {
      const { ms, heapMb, result } = measure(() => cocoRleToMaskGeometry({ counts, size: [20_000, 20_000] }, image));
      expect(result).toBeInstanceOf(RegionGeometryError);
      expect(ms).toBeLessThan(200);
      expect(heapMb).toBeLessThan(20);
    }
    expect(() => checkedRleCounts({ counts: [5, 6], size: [3, 4] }, { width: 4, height: 3 })).toThrow(
      "RLE counts cover fewer pixels than the 4 x 3 image",
    );
    expect(() => checkedRleCounts({ counts: [5, 8], size: [3, 4] }, { width: 4, height: 3 })).toThrow(
      "RLE counts cover more pixels than the 4 x 3 image",
    );
    const tooMany = new Array<number>(COCO_IMPORT_LIMITS.maxRleCounts + 1).fill(0);
    expect(() => checkedRleCounts({ counts: tooMany, size: [3, 4] }, { width: 4, height: 3 })).toThrow(
      `An RLE mask has more than ${COCO_IMPORT_LIMITS.maxRleCounts} runs`,
    );
  });

  it("downsamples a mask of an image bigger than the region grid while decoding it", () => {
    const image = { width: 20_000, height: 20_000 };
    // Left half foreground: columns 0..9999 (column-major: one run of 10000 x 20000 pixels).
    const rle = { counts: [0, 10_000 * 20_000, 10_000 * 20_000], size: [20_000, 20_000] as [number, number] };
    const { ms, heapMb, result } = measure(() => cocoRleToMaskGeometry(rle, image));
    if (result instanceof Error) throw result;
    console.info(`20000 x 20000 RLE downsampled to the grid: ${ms.toFixed(0)} ms, +${heapMb.toFixed(1)} MB`);
    expect(result).toMatchObject({ kind: "mask", gridWidth: REGION_LIMITS.maxMaskSide, gridHeight: 4096 });
    // Each grid row: 2048 foreground cells then 2048 background ones.
    const runs = (result as { runs: number[] }).runs;
    expect(runs).toHaveLength(2 * 4096 + 1);
    expect(runs.slice(0, 4)).toEqual([0, 2048, 2048, 2048]);
    expect(runs.reduce((a, b) => a + b, 0)).toBe(4096 * 4096);
    // The grid (16 MiB of bytes), never the image (400 MB); quick.
    expect(ms).toBeLessThan(1_000); // ~220 ms here; the old decoder took 16 s and 400 MB
    expect(heapMb).toBeLessThan(40);
    expect(maskGridFor({ width: 10_000, height: 2_500 })).toEqual({ width: 4096, height: 1024 });
  });

  it("decodes exactly (like cocoRleToMask) when the image fits the grid", () => {
    const width = 37;
    const height = 23;
    const mask = new Uint8Array(width * height).map((_, i) => ((i * 7919) % 13 < 5 ? 1 : 0));
    const { counts } = maskToCocoRle(mask, width, height);
    expect(decodeRleOnGrid(counts, { width, height }, { width, height })).toEqual(cocoRleToMask(counts, width, height));
    expect(cocoRleToMaskGeometry({ counts, size: [height, width] }, { width, height })).toMatchObject({
      gridWidth: width,
      gridHeight: height,
      runs: encodeMaskRuns(mask),
    });
  });
});

describe("polygons and boxes are checked against their image", () => {
  const image = { width: 100, height: 50 };

  it("refuses geometry outside the image and polygons over the point limit", () => {
    expect(() => cocoAnnotationGeometries({ segmentation: [[0, 0, 500, 0, 500, 40]] }, image)).toThrow(
      "A polygon lies outside its 100 x 50 image",
    );
    expect(() => cocoAnnotationGeometries({ bbox: [90, 10, 30, 5] }, image)).toThrow(
      "A box lies outside its 100 x 50 image",
    );
    const many = Array.from({ length: 2 * (REGION_LIMITS.maxPolygonPoints + 1) }, (_, i) => i % 50);
    expect(() => cocoAnnotationGeometries({ segmentation: [many] }, image)).toThrow(
      `A polygon has more than ${REGION_LIMITS.maxPolygonPoints} points`,
    );
    const polygons = Array.from({ length: COCO_IMPORT_LIMITS.maxPolygonsPerAnnotation + 1 }, () => [0, 0, 1, 0, 1, 1]);
    expect(() => cocoAnnotationGeometries({ segmentation: polygons }, image)).toThrow(
      `An annotation has more than ${COCO_IMPORT_LIMITS.maxPolygonsPerAnnotation} polygons`,
    );
    expect(() =>
      cocoAnnotationGeometries(
        { visual_ccc: { geometry: { schemaVersion: 1, kind: "rectangle", x: 0, y: 0, width: 500, height: 10 } } },
        image,
      ),
    ).toThrow("A box lies outside its 100 x 50 image");
    // On the edge (other tools round to the pixel) is fine.
    expect(cocoAnnotationGeometries({ segmentation: [[0, 0, 100, 0, 100, 50]] }, image)).toHaveLength(1);
    expect(cocoAnnotationGeometries({ bbox: [0, 0, 100, 50] }, image)).toHaveLength(1);
  });
});

describe("document caps", () => {
  it("refuse too many categories, images or annotations with the cap in the message", () => {
    const images = [{ id: 1, file_name: "a.png" }];
    const categories = Array.from({ length: COCO_IMPORT_LIMITS.maxCategories + 1 }, (_, i) => ({
      id: i + 1,
      name: `c${i}`,
    }));
    expect(() => parseCocoDocument({ images, categories })).toThrow(
      `Not a COCO annotation file: categories: at most ${COCO_IMPORT_LIMITS.maxCategories} categories can be imported at once`,
    );
    const annotations = new Array(COCO_IMPORT_LIMITS.maxAnnotations + 1).fill({ image_id: 1, bbox: [0, 0, 1, 1] });
    expect(() => parseCocoDocument({ images, annotations })).toThrow(
      `at most ${COCO_IMPORT_LIMITS.maxAnnotations} annotations can be imported at once`,
    );
    const manyImages = new Array(COCO_IMPORT_LIMITS.maxImages + 1).fill({ id: 1, file_name: "a.png" });
    expect(() => parseCocoDocument({ images: manyImages })).toThrow(
      `at most ${COCO_IMPORT_LIMITS.maxImages} images can be imported at once`,
    );
    expect(() => parseCocoDocument({ nope: 1 })).toThrow("Not a COCO annotation file: images:");
    expect(() => parseCocoBytes(Buffer.from("{ not json"))).toThrow("The file is not JSON");
  });
});
