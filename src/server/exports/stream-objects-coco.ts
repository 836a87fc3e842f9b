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
 *
 * SAM 2 objects (`objects` of method "sam2", objects-source.ts): the set stored for the export's
 * model and generator parameters. Masks may overlap, so each annotation is the mask WHOLE, from
 * its stored RLE (never from the label map, which shows one mask per pixel), resampled to the
 * image's size the same way; `score` is the decoder's predicted IoU (as COCO results carry it).
 * `visual_ccc.px` holds the record's descriptors and SAM's numbers (the RLE is the segmentation).
 * After the annotations, the document's own `visual_ccc` names the source (model, parameters)
 * and lists `not_generated`: the images in scope without a set for them (absent from "images",
 * as images without objects are, so that no tool reads them as images without objects).
 */
import sharp from "sharp";
import { z } from "zod";
import { boxMaskLabelAt, cocoRleBoxMask } from "~/core/objects/coco-rle-box-mask";
import { labelBoxes, resampledObjectRle, type LabelAt, type ResampledObjectRle } from "~/core/objects/label-coco-rle";
import type { PixelSize } from "~/core/objects/units";
import type { NewestObjectSet } from "~/server/objects/find-newest-object-sets";
import { labelPixelSizeOf, physicalFields } from "~/server/objects/object-set-dto";
import { objectRecordsSchema, type ObjectRecord } from "~/server/objects/object-set-record";
import { convertLength } from "~/server/objects/pixel-size";
import { sam2ObjectScoresSchema } from "~/server/objects/sam2-object-columns";
import type { BlobStore } from "~/server/storage";
import { exportRowPages } from "./export-image-rows";
import { COCO_IMAGE_FIELDS, cocoImageEntry, openCocoSpool } from "./coco-spool";
import { objectSetsOf, SAM2_NOT_GENERATED, type ObjectsExportOptions, type ObjectsSource } from "./objects-source";
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

/** What an annotation of one object needs besides its mask. */
type AnnotationContext = {
  spool: Awaited<ReturnType<typeof openCocoSpool>>;
  imageId: number;
  set: NewestObjectSet;
  um: PixelSize | null;
  image: { width: number; height: number };
};

/** The classical set's objects, from its label map (one object per pixel). */
async function addLabelMapAnnotations(
  context: AnnotationContext,
  records: ObjectRecord[],
  map: { labelAt: LabelAt; width: number; height: number },
): Promise<void> {
  const { image } = context;
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
    await addObjectAnnotation(context, object, record);
  }
}

/**
 * Writes one object's annotation: its mask, the set and object it comes from, and its
 * descriptors in px and (when the image has a pixel size) in physical units; `score` only for
 * sets that have one (SAM 2's predicted IoU).
 */
async function addObjectAnnotation(
  context: AnnotationContext,
  object: ResampledObjectRle,
  record: ObjectRecord,
  score?: number | null,
): Promise<void> {
  const { spool, imageId, set, um } = context;
  await spool.addAnnotation((id) => ({
    id,
    image_id: imageId,
    category_id: OBJECT_CATEGORY_ID,
    segmentation: object.rle,
    area: object.area,
    bbox: object.bbox,
    iscrowd: 0,
    ...(score === undefined ? {} : { score }),
    visual_ccc: {
      object_set_id: set.id,
      object_id: record.label,
      px: record,
      um: um ? physicalFields(record, um) : null,
    },
  }));
}

/** A stored mask: uncompressed COCO RLE of the label-map grid. */
const storedRleSchema = z.object({
  counts: z.array(z.number().int().nonnegative()),
  size: z.tuple([z.number().int().positive(), z.number().int().positive()]),
});

/** A SAM 2 set's masks, each whole from its stored RLE on the label map's grid (masks may overlap). */
async function addSam2Annotations(
  context: AnnotationContext,
  records: ObjectRecord[],
  grid: { width: number; height: number },
): Promise<void> {
  const { image } = context;
  for (const { rle, ...record } of records) {
    const stored = storedRleSchema.safeParse(rle);
    if (!(record.label > 0) || !stored.success) continue;
    const [gridHeight, gridWidth] = stored.data.size;
    if (gridWidth !== grid.width || gridHeight !== grid.height) continue;
    const mask = cocoRleBoxMask(stored.data.counts, gridWidth, gridHeight);
    if (!mask) continue;
    const object = resampledObjectRle({
      labelAt: boxMaskLabelAt(mask, gridWidth),
      labelWidth: gridWidth,
      labelHeight: gridHeight,
      label: 1,
      box: mask.box,
      width: image.width,
      height: image.height,
    });
    const scores = sam2ObjectScoresSchema.safeParse(record);
    await addObjectAnnotation(context, object, record, scores.success ? scores.data.predicted_iou : null);
  }
}

/** The document's own extras for a SAM 2 export: its source and the images left out. */
function sam2DocumentExtras(source: Extract<ObjectsSource, { method: "sam2" }>, notGenerated: unknown[]) {
  return {
    objects: "sam2",
    sam_model: { name: source.model.name, pair_sha256: source.model.pairSha256 },
    generator: source.params,
    not_generated: { reason: SAM2_NOT_GENERATED, images: notGenerated },
  };
}

export async function* streamObjectsCoco(
  options: ObjectsExportOptions & { now?: Date },
): AsyncGenerator<string | Uint8Array> {
  const { db, blobs } = options;
  const source = options.objects ?? { method: "classical" };
  const categories = [{ id: OBJECT_CATEGORY_ID, name: "object", supercategory: "" }];
  const description = source.method === "sam2" ? "Visual-CCC objects (SAM 2)" : "Visual-CCC objects";
  const header = { description, version: OBJECTS_COCO_FORMAT, now: options.now, categories };
  const spool = await openCocoSpool(header, "vccc-objects-coco-");
  const notGenerated: { image_id: string; file_name: string; dataset: string }[] = [];
  try {
    yield spool.head();
    const pages = exportRowPages(options, 100, { ...COCO_IMAGE_FIELDS, ...PIXEL_SIZE_FIELDS });
    for await (const images of pages) {
      const sets = await objectSetsOf(options, images);
      const labelMaps = new Map(
        (
          await db.objectSet.findMany({
            where: { id: { in: [...sets.values()].map((set) => set.id) } },
            select: { id: true, labelMapKey: true, height: true },
          })
        ).map((row) => [row.id, row]),
      );
      for (const image of images) {
        const set = sets.get(image.id);
        const stored = set && labelMaps.get(set.id);
        if (!set || !stored) {
          if (source.method === "sam2") {
            notGenerated.push({ image_id: image.id, file_name: image.fileName, dataset: image.dataset.name });
          }
          continue;
        }
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
        const context = { spool, imageId, set, um, image };
        if (source.method === "sam2") {
          await addSam2Annotations(context, records, { width: set.width, height: stored.height });
        } else {
          await addLabelMapAnnotations(context, records, await readLabelMap(blobs, stored.labelMapKey));
        }
      }
      const chunk = await spool.takeImages();
      if (chunk) yield chunk;
    }
    yield* spool.tail(source.method === "sam2" ? sam2DocumentExtras(source, notGenerated) : undefined);
  } finally {
    await spool.close();
  }
}
