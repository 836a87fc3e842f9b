/**
 * objects.coco.json: the newest object set of each image in scope as a COCO instances document,
 * written as a stream like annotations.coco.json (stream-coco-json.ts): one keyset pass over the
 * images writes "images" directly and each page's annotations to a temporary file, appended
 * afterwards as "annotations".
 *
 * - "images": only images that have an object set (as objects.csv), with file_name, width and
 *   height of the IMAGE; ids are 1, 2, ... in export order.
 * - "categories": one, { id: 1, name: "object" }.
 * - "annotations": one per object (by label), `segmentation` an uncompressed COCO RLE
 *   ({ counts, size: [height, width] }, column-major, starting with background) AT THE IMAGE'S
 *   SIZE: when the label map is smaller (long side capped at OBJECTS_MAX_SIDE) it is upsampled
 *   nearest-neighbour (image pixel (x, y) takes label-map pixel (floor(x * lw / W),
 *   floor(y * lh / H))), so that COCO tools can use masks and boxes as they are. `bbox`
 *   [x, y, w, h] and `area` are those of that mask, in image pixels; `iscrowd` 0.
 * - Extras under `visual_ccc` (ignored by COCO tools): per image the sha256, dataset, object set
 *   id, label-map size and `label_pixel_size_um` (side of one label-map pixel in µm, or null);
 *   per annotation the object set id, `object_id` (the label, as objects.csv), `px` = the stored
 *   descriptors in pixels OF THE LABEL MAP (as objects.csv) and `um` = the physical ones in
 *   micrometres (`*_um`, `*_um2`), null without a pixel size.
 *
 * Memory: one page of image rows, one decoded label map (RGBA, at most 4096 x 4096) and one
 * object's runs at a time; runs are written straight from the label map within the object's box.
 */
import sharp from "sharp";
import { labelBoxes, resampledObjectRle, type LabelAt } from "~/core/objects/label-coco-rle";
import type { NewestObjectSet } from "~/server/objects/find-newest-object-sets";
import { labelPixelSizeOf, physicalFields } from "~/server/objects/object-set-dto";
import { objectRecordsSchema, type ObjectRecord } from "~/server/objects/object-set-record";
import { convertLength } from "~/server/objects/pixel-size";
import type { BlobStore } from "~/server/storage";
import { exportRowPages, reportedObjectSetsOf, type ResultsExportOptions } from "./export-image-rows";
import { COCO_IMAGE_FIELDS, cocoImageEntry, openCocoSpool } from "./coco-spool";
import { PIXEL_SIZE_FIELDS } from "~/server/objects/pixel-size";

export const OBJECTS_COCO_FORMAT = "visual-ccc-objects-coco@1";
export const OBJECT_CATEGORY_ID = 1;

async function recordsOf(set: NewestObjectSet, blobs: BlobStore): Promise<ObjectRecord[]> {
  const inline = objectRecordsSchema.safeParse(set.objects);
  if (inline.success && inline.data.length >= set.count) return inline.data;
  const all = objectRecordsSchema.safeParse(JSON.parse((await blobs.get(set.objectsKey)).toString("utf8")));
  return all.success ? all.data : [];
}

/** The stored label map (object-set-labels.ts): RGBA samples and a label lookup over them. */
async function readLabelMap(
  blobs: BlobStore,
  key: string,
): Promise<{ labelAt: LabelAt; width: number; height: number }> {
  const { data, info } = await sharp(await blobs.get(key), { limitInputPixels: false })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const rgba = data;
  const labelAt: LabelAt = (i) => {
    const j = 4 * i;
    return rgba[j + 3] === 0 ? 0 : rgba[j]! + 256 * rgba[j + 1]! + 65536 * rgba[j + 2]!;
  };
  return { labelAt, width: info.width, height: info.height };
}

export async function* streamObjectsCoco(
  options: ResultsExportOptions & { blobs: BlobStore; now?: Date },
): AsyncGenerator<string | Uint8Array> {
  const { db, blobs } = options;
  const categories = [{ id: OBJECT_CATEGORY_ID, name: "object", supercategory: "" }];
  const header = { description: "Visual-CCC objects", version: OBJECTS_COCO_FORMAT, now: options.now, categories };
  const spool = await openCocoSpool(header, "vccc-objects-coco-");
  try {
    yield spool.head();
    const pages = exportRowPages(options, 100, { ...COCO_IMAGE_FIELDS, ...PIXEL_SIZE_FIELDS });
    for await (const images of pages) {
      const newest = await reportedObjectSetsOf(options, images);
      const labelMaps = new Map(
        (
          await db.objectSet.findMany({
            where: { id: { in: [...newest.values()].map((set) => set.id) } },
            select: { id: true, labelMapKey: true, height: true },
          })
        ).map((row) => [row.id, row]),
      );
      for (const image of images) {
        const set = newest.get(image.id);
        const stored = set && labelMaps.get(set.id);
        if (!set || !stored) continue;
        const labelPixel = labelPixelSizeOf(image, set.width);
        const um = labelPixel
          ? { value: convertLength(labelPixel.value, labelPixel.unit, "µm"), unit: "µm" as const }
          : null;
        const imageId = spool.addImage((id) =>
          cocoImageEntry(id, image, {
            image_id: image.id,
            sha256: image.sha256,
            dataset: image.dataset.name,
            object_set_id: set.id,
            label_map_width: set.width,
            label_map_height: stored.height,
            label_pixel_size_um: um?.value ?? null,
          }),
        );
        const records = await recordsOf(set, blobs);
        if (records.length === 0) continue;
        const map = await readLabelMap(blobs, stored.labelMapKey);
        const maxLabel = records.reduce((max, record) => Math.max(max, record.label), 0);
        const boxes = labelBoxes(map.labelAt, map.width, map.height, maxLabel);
        for (const record of records) {
          const b = 4 * record.label;
          if (!(record.label > 0) || boxes[b]! < 0) continue;
          const object = resampledObjectRle({
            labelAt: map.labelAt,
            labelWidth: map.width,
            labelHeight: map.height,
            label: record.label,
            box: [boxes[b]!, boxes[b + 1]!, boxes[b + 2]!, boxes[b + 3]!],
            width: image.width,
            height: image.height,
          });
          await spool.addAnnotation((id) => ({
            id,
            image_id: imageId,
            category_id: OBJECT_CATEGORY_ID,
            segmentation: object.rle,
            area: object.area,
            bbox: object.bbox,
            iscrowd: 0,
            visual_ccc: {
              object_set_id: set.id,
              object_id: record.label,
              px: record,
              um: um ? physicalFields(record, um) : null,
            },
          }));
        }
      }
      const chunk = await spool.takeImages();
      if (chunk) yield chunk;
    }
    yield* spool.tail();
  } finally {
    await spool.close();
  }
}
