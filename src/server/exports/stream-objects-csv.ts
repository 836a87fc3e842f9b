/**
 * objects.csv: one row per object of the newest object set of each image in scope (images by id,
 * objects by label), generated page by page like results.csv. Pixel columns (`*_px`, bbox,
 * dimensionless descriptors) are in pixels of the label map; physical columns are always in
 * micrometres (`*_um`, `*_um2`), whatever unit the pixel size was given in, so that a column means
 * the same for every image; they are empty for an image without a pixel size. `pixel_size_um` is
 * the side of one label-map pixel (the image's pixel size, times the resampling factor when the
 * image's long side exceeds 4096 px). Images without an object set get no row.
 */
import { toPhysical } from "~/core/objects/units";
import { labelPixelSizeOf } from "~/server/objects/object-set-dto";
import { readObjectRecords } from "~/server/objects/read-object-records";
import { convertLength } from "~/server/objects/pixel-size";
import type { BlobStore } from "~/server/storage";
import { csvRow } from "./csv-cell";
import {
  exportRowPages,
  reportedObjectSetsOf,
  finiteOrNull as num,
  IMAGE_ROW_COLUMNS,
  imageRowCells,
  PIXEL_SIZE_SELECT,
  type ResultsExportOptions,
} from "./export-image-rows";

const PX_LENGTHS = [
  "perimeter",
  "equivalent_diameter",
  "axis_major_length",
  "axis_minor_length",
  "feret_diameter_max",
] as const;
const RATIOS = ["eccentricity", "orientation", "solidity", "extent", "circularity", "aspect_ratio"] as const;

export const OBJECTS_CSV_COLUMNS = [
  ...IMAGE_ROW_COLUMNS,
  "object_set_id",
  "object_id",
  "area_px",
  "area_convex_px",
  "centroid_row_px",
  "centroid_col_px",
  "bbox_min_row",
  "bbox_min_col",
  "bbox_max_row",
  "bbox_max_col",
  ...PX_LENGTHS.map((name) => `${name}_px`),
  ...RATIOS,
  "pixel_size_um",
  "area_um2",
  "area_convex_um2",
  "centroid_row_um",
  "centroid_col_um",
  ...PX_LENGTHS.map((name) => `${name}_um`),
] as const;

export async function* streamObjectsCsv(options: ResultsExportOptions & { blobs: BlobStore }): AsyncGenerator<string> {
  yield csvRow(OBJECTS_CSV_COLUMNS);
  const pages = exportRowPages(options, 100, PIXEL_SIZE_SELECT);
  for await (const images of pages) {
    const newest = await reportedObjectSetsOf(options, images);
    for (const image of images) {
      const set = newest.get(image.id);
      if (!set) continue;
      const labelPixel = labelPixelSizeOf(image, set.width);
      const um = labelPixel
        ? { value: convertLength(labelPixel.value, labelPixel.unit, "µm"), unit: "µm" as const }
        : null;
      let chunk = "";
      for (const record of await readObjectRecords(set, options.blobs)) {
        const physical = um ? (toPhysical(record, um) as unknown as Record<string, unknown>) : null;
        const bbox = Array.isArray(record.bbox) ? record.bbox : [];
        const centroid = Array.isArray(record.centroid) ? record.centroid : [];
        chunk += csvRow([
          ...imageRowCells(image),
          set.id,
          record.label,
          num(record.area),
          num(record.area_convex),
          num(centroid[0]),
          num(centroid[1]),
          num(bbox[0]),
          num(bbox[1]),
          num(bbox[2]),
          num(bbox[3]),
          ...PX_LENGTHS.map((name) => num(record[name])),
          ...RATIOS.map((name) => num(record[name])),
          um?.value ?? null,
          num(physical?.area_um2),
          num(physical?.area_convex_um2),
          num(physical?.centroid_row_um),
          num(physical?.centroid_col_um),
          ...PX_LENGTHS.map((name) => num(physical?.[`${name}_um`])),
        ]);
      }
      if (chunk) yield chunk;
    }
  }
}
