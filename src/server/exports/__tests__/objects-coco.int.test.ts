/**
 * objects.coco.json: an image of known discs segmented by objects.run and exported as COCO
 * instances (each annotation's RLE decodes to the object's pixels: count = area, box = bbox), an
 * image whose label map is smaller than the image (masks upsampled to the image's size), and the
 * resampled RLE writer against maskToCocoRle of the resampled mask.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { ReportedSettings } from "~/server/settings/settings-results";
import { reportResults } from "../../../../tests/helpers/reported-results";
import { labelBoxes, resampledObjectRle } from "~/core/objects/label-coco-rle";
import { cocoRleToMask, maskToCocoRle } from "~/core/regions/coco-rle";
import { db } from "~/server/db";
import { blobStore } from "~/server/storage";
import { closeHeavyWorkPool } from "~/server/workers/heavy-pool";
import { callerFor } from "../../../../tests/helpers/seed";
import { seedStoredImageRow } from "../../../../tests/helpers/project-images";
import { HEIGHT, WIDTH, seedDiscsImage, seedObjectSet } from "../../objects/__tests__/object-fixtures";
import { maskAreaAndBox } from "../coco-annotation";
import { OBJECTS_COCO_FORMAT, streamObjectsCoco } from "../stream-objects-coco";

afterAll(async () => {
  await closeHeavyWorkPool();
});

type Rle = { counts: number[]; size: [number, number] };
type CocoDocument = {
  info: { version: string };
  categories: { id: number; name: string }[];
  images: {
    id: number;
    file_name: string;
    width: number;
    height: number;
    visual_ccc: { image_id: string; object_set_id: string; label_pixel_size_um: number | null };
  }[];
  annotations: {
    id: number;
    image_id: number;
    category_id: number;
    segmentation: Rle;
    area: number;
    bbox: [number, number, number, number];
    iscrowd: number;
    visual_ccc: {
      object_set_id: string;
      object_id: number;
      px: Record<string, unknown>;
      um: Record<string, unknown> | null;
    };
  }[];
};

async function exportDocument(projectId: string, settings: ReportedSettings): Promise<CocoDocument> {
  const parts: Buffer[] = [];
  for await (const chunk of streamObjectsCoco({
    db,
    blobs: blobStore(),
    scope: { projectId },
    settings,
    pageSize: 1,
  })) {
    parts.push(typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk));
  }
  return JSON.parse(Buffer.concat(parts).toString("utf8")) as CocoDocument;
}

describe("objects.coco.json", () => {
  it("exports the discs' objects as COCO RLE masks whose pixels are the objects' areas and boxes", async () => {
    const { project, users, dataset, image } = await seedDiscsImage(db);
    // A second image whose 8 x 6 label map (object-fixtures) is half its size: masks are upsampled x2.
    const big = await seedStoredImageRow(db, {
      projectId: project.id,
      datasetId: dataset.id,
      fileName: "big.png",
      bytes: Buffer.from("not decoded by the export"),
      format: "png",
      width: 16,
      height: 12,
      channels: 1,
    });
    const fixture = await seedObjectSet(db, { projectId: project.id, imageId: big.id });
    // A third image without objects: not in the document.
    await seedStoredImageRow(db, {
      projectId: project.id,
      datasetId: dataset.id,
      fileName: "none.png",
      bytes: Buffer.from("no objects"),
      format: "png",
      width: 4,
      height: 4,
      channels: 1,
    });
    const run = await callerFor(db, users.annotator!).objects.run({ projectId: project.id, imageId: image.id });
    expect(run.count).toBe(5);
    await callerFor(db, users.editor!).scale.set({
      projectId: project.id,
      target: { kind: "image", imageId: image.id },
      pixelSize: { value: 500, unit: "nm" },
    });

    const settings = await reportResults(db, project.id, users.editor!.id, [
      { imageId: image.id, objectSetId: run.id },
      { imageId: big.id, objectSetId: fixture.id },
    ]);
    const coco = await exportDocument(project.id, settings);
    expect(coco.info.version).toBe(OBJECTS_COCO_FORMAT);
    expect(coco.categories).toEqual([{ id: 1, name: "object", supercategory: "" }]);
    expect(coco.images).toHaveLength(2);
    expect(new Set(coco.images.map((i) => i.id)).size).toBe(2);
    expect(new Set(coco.annotations.map((a) => a.id)).size).toBe(coco.annotations.length);

    // The discs: label map = image, so area and bbox are the records' own.
    const discs = coco.images.find((i) => i.visual_ccc.image_id === image.id)!;
    expect(discs).toMatchObject({ file_name: "discs.png", width: WIDTH, height: HEIGHT });
    expect(discs.visual_ccc.object_set_id).toBe(run.id);
    expect(discs.visual_ccc.label_pixel_size_um).toBe(0.5);
    const discAnnotations = coco.annotations.filter((a) => a.image_id === discs.id);
    expect(discAnnotations.map((a) => a.visual_ccc.object_id)).toEqual(run.objects.map((o) => o.label));
    for (const annotation of discAnnotations) {
      const record = run.objects.find((o) => o.label === annotation.visual_ccc.object_id)!;
      expect(annotation).toMatchObject({ category_id: 1, iscrowd: 0 });
      expect(annotation.segmentation.size).toEqual([HEIGHT, WIDTH]);
      const mask = cocoRleToMask(annotation.segmentation.counts, WIDTH, HEIGHT);
      const stats = maskAreaAndBox(mask, WIDTH, HEIGHT);
      expect(stats.area).toBe(record.area);
      expect(annotation.area).toBe(record.area);
      const [minRow, minCol, maxRow, maxCol] = record.bbox as number[];
      expect(stats.bbox).toEqual([minCol, minRow, maxCol! - minCol!, maxRow! - minRow!]);
      expect(annotation.bbox).toEqual(stats.bbox);
      expect(annotation.visual_ccc.px.area).toBe(record.area);
      expect(annotation.visual_ccc.um?.area_um2).toBeCloseTo((record.area as number) * 0.25, 9);
      expect(annotation.visual_ccc.um?.equivalent_diameter_um).toBeCloseTo(
        (record.equivalent_diameter as number) * 0.5,
        9,
      );
    }

    // The upsampled one: areas x4, boxes x2, in image pixels; descriptors stay label-map pixels.
    const upsampled = coco.images.find((i) => i.visual_ccc.image_id === big.id)!;
    expect(upsampled).toMatchObject({ file_name: "big.png", width: 16, height: 12 });
    expect(upsampled.visual_ccc.object_set_id).toBe(fixture.id);
    expect(upsampled.visual_ccc.label_pixel_size_um).toBeNull();
    const bigAnnotations = coco.annotations.filter((a) => a.image_id === upsampled.id);
    expect(bigAnnotations.map((a) => [a.visual_ccc.object_id, a.area, a.bbox])).toEqual([
      [1, 8, [2, 2, 4, 2]],
      [2, 4, [12, 6, 2, 2]],
    ]);
    for (const annotation of bigAnnotations) {
      expect(annotation.segmentation.size).toEqual([12, 16]);
      const stats = maskAreaAndBox(cocoRleToMask(annotation.segmentation.counts, 16, 12), 16, 12);
      expect(stats).toEqual({ area: annotation.area, bbox: annotation.bbox });
      expect(annotation.area).toBe((annotation.visual_ccc.px.area as number) * 4);
      expect(annotation.visual_ccc.um).toBeNull();
    }
  });

  it("writes the same runs as maskToCocoRle of the nearest-neighbour resampled mask", () => {
    const lw = 7;
    const lh = 5;
    const labels = new Int32Array(lw * lh);
    // Label 1 (row-major indices, 7 per row): the first and last pixels, a gap within column 0,
    // and a run from the bottom of column 0 (28) on into the top of column 1 (1); its box is the
    // whole height, so runs cross column ends. Label 2 is an L; label 3 one pixel.
    for (const i of [0, 7, 28, 1, 6, 13, 20, 27, 34]) labels[i] = 1;
    for (const i of [9, 16, 23, 24, 25]) labels[i] = 2;
    labels[18] = 3;
    const labelAt = (i: number) => labels[i]!;
    const boxes = labelBoxes(labelAt, lw, lh, 3);
    for (const [width, height] of [
      [lw, lh],
      [17, 12],
      [21, 15],
      [8, 11],
    ] as const) {
      for (const label of [1, 2, 3]) {
        const mask = new Uint8Array(width * height);
        for (let y = 0; y < height; y++) {
          for (let x = 0; x < width; x++) {
            const source = Math.floor((y * lh) / height) * lw + Math.floor((x * lw) / width);
            mask[y * width + x] = labels[source] === label ? 1 : 0;
          }
        }
        const b = 4 * label;
        const result = resampledObjectRle({
          labelAt,
          labelWidth: lw,
          labelHeight: lh,
          label,
          box: [boxes[b]!, boxes[b + 1]!, boxes[b + 2]!, boxes[b + 3]!],
          width,
          height,
        });
        expect(result.rle, `${width}x${height} label ${label}`).toEqual(maskToCocoRle(mask, width, height));
        expect({ area: result.area, bbox: result.bbox }).toEqual(maskAreaAndBox(mask, width, height));
      }
    }
  });
});
