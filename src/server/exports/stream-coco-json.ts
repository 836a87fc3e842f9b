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
import { createReadStream } from "node:fs";
import { mkdtemp, open, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseRegionGeometry } from "~/core/regions/region-geometry";
import { toCocoAnnotation } from "./coco-annotation";
import { exportRowPages, type ExportPagingOptions } from "./export-image-rows";

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
  const header = {
    info: {
      description: "Visual-CCC annotations",
      version: COCO_EXPORT_FORMAT,
      date_created: (options.now ?? new Date()).toISOString(),
    },
    licenses: [],
    categories: classes.map((c, i) => ({
      id: i + 1,
      name: c.name,
      supercategory: "",
      visual_ccc: { color: c.color },
    })),
  };
  const directory = await mkdtemp(path.join(os.tmpdir(), "vccc-coco-"));
  const annotationsPath = path.join(directory, "annotations.json-part");
  const annotationsFile = await open(annotationsPath, "w");
  try {
    yield `${JSON.stringify(header).slice(0, -1)},"images":[`;
    let imageNumber = 0;
    let annotationNumber = 0;
    const pages = exportRowPages(options, 100, {
      width: true,
      height: true,
      sha256: true,
      label: { select: { labelClassId: true } },
      regions: {
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: { geometry: true, labelClassId: true },
      },
    });
    for await (const images of pages) {
      let imagesChunk = "";
      let annotationsChunk = "";
      for (const image of images) {
        imageNumber++;
        imagesChunk += `${imageNumber > 1 ? "," : ""}${JSON.stringify({
          id: imageNumber,
          file_name: image.fileName,
          width: image.width,
          height: image.height,
          visual_ccc: {
            sha256: image.sha256,
            dataset: image.dataset.name,
            label_category_id: image.label ? (categoryIds.get(image.label.labelClassId) ?? null) : null,
          },
        })}`;
        for (const region of image.regions) {
          annotationNumber++;
          const annotation = toCocoAnnotation({
            id: annotationNumber,
            imageId: imageNumber,
            categoryId: region.labelClassId ? (categoryIds.get(region.labelClassId) ?? 0) : 0,
            geometry: parseRegionGeometry(region.geometry),
            image,
          });
          annotationsChunk += `${annotationNumber > 1 ? "," : ""}${JSON.stringify(annotation)}`;
        }
      }
      yield imagesChunk;
      if (annotationsChunk) await annotationsFile.write(annotationsChunk);
    }
    await annotationsFile.close();
    yield `],"annotations":[`;
    for await (const chunk of createReadStream(annotationsPath)) yield chunk as Buffer;
    yield "]}";
  } finally {
    await annotationsFile.close().catch(() => undefined);
    await rm(directory, { recursive: true, force: true });
  }
}
