/**
 * Regions and image labels as a COCO JSON document, written as a stream. COCO wants all images
 * before all annotations, and both need the same integer image ids; one keyset pass over the
 * images writes the "images" array directly and the page's annotations to a temporary file,
 * which is then appended as the "annotations" array. Memory stays one page; ids are consistent
 * even if images are added while the export runs.
 *
 * Extensions under `visual_ccc` (ignored by COCO tools): the image's sha256, dataset and
 * image-level label (category id), and each region's exact geometry (coco-annotation.ts).
 */
import { parseRegionGeometry } from "~/core/regions/region-geometry";
import { toCocoAnnotation, UNLABELLED_CATEGORY } from "./coco-annotation";
import { exportImagesWhere } from "./export-scope";
import { exportRowPages, type ExportPagingOptions } from "./export-image-rows";
import { COCO_IMAGE_FIELDS, cocoImageEntry, openCocoSpool } from "./coco-spool";

export const COCO_EXPORT_FORMAT = "visual-ccc-coco@1";

export async function* streamCocoJson(
  options: ExportPagingOptions & { now?: Date },
): AsyncGenerator<string | Uint8Array> {
  const { db, scope } = options;
  const classes = await db.labelClass.findMany({
    where: { projectId: scope.projectId },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }],
    select: { id: true, name: true, color: true },
  });
  const categoryIds = new Map(classes.map((c, i) => [c.id, i + 1]));
  const categories: object[] = classes.map((c, i) => ({
    id: i + 1,
    name: c.name,
    supercategory: "",
    visual_ccc: { color: c.color },
  }));
  // Regions without a class (none, or a class deleted since) get a category of their own.
  const unlabelledId = classes.length + 1;
  const classless = await db.region.count({ where: { labelClassId: null, image: { is: exportImagesWhere(scope) } } });
  if (classless > 0) categories.push({ id: unlabelledId, ...UNLABELLED_CATEGORY });
  const header = { description: "Visual-CCC annotations", version: COCO_EXPORT_FORMAT, now: options.now, categories };
  const spool = await openCocoSpool(header, "vccc-coco-");
  try {
    yield spool.head();
    const pages = exportRowPages(options, 100, {
      ...COCO_IMAGE_FIELDS,
      label: { select: { labelClassId: true } },
      regions: {
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: { geometry: true, labelClassId: true },
      },
    });
    for await (const images of pages) {
      for (const image of images) {
        const imageId = spool.addImage((id) =>
          cocoImageEntry(id, image, {
            sha256: image.sha256,
            dataset: image.dataset.name,
            label_category_id: image.label ? (categoryIds.get(image.label.labelClassId) ?? null) : null,
          }),
        );
        for (const region of image.regions) {
          await spool.addAnnotation((id) =>
            toCocoAnnotation({
              id,
              imageId,
              categoryId: (region.labelClassId && categoryIds.get(region.labelClassId)) || unlabelledId,
              geometry: parseRegionGeometry(region.geometry),
              image,
            }),
          );
        }
      }
      yield await spool.takeImages();
    }
    yield* spool.tail();
  } finally {
    await spool.close();
  }
}
