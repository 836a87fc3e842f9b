/**
 * objects.csv: one row per object of the object set of each image in scope (images by id,
 * objects by label), generated page by page like results.csv. Pixel columns (`*_px`, bbox,
 * dimensionless descriptors) are in pixels of the label map; physical columns are always in
 * micrometres (`*_um`, `*_um2`), whatever unit the pixel size was given in, so that a column means
 * the same for every image; they are empty for an image without a pixel size. `pixel_size_um` is
 * the side of one label-map pixel (the image's pixel size, times the resampling factor when the
 * image's long side exceeds 4096 px).
 *
 * Classical objects (the default): the set each image reports under the export's settings
 * version; images without one get no row.
 * SAM 2 objects (`objects` of method "sam2", objects-source.ts): the set stored for the export's
 * model and generator parameters, each mask measured whole (masks may overlap); the rows gain
 * SAM's own numbers (sam2-object-columns.ts, as the command line writes them) and a `status`
 * column, as results.csv has: "ok" on each mask's row; an image without such a set gets one row
 * saying it was not generated, and a set without masks one row saying so, so that every image in
 * scope is accounted for.
 */
import type { ObjectMeasurement } from "~/core/objects/measure-objects";
import { toPhysical, type PixelSize } from "~/core/objects/units";
import { labelPixelSizeOf } from "~/server/objects/object-set-dto";
import type { NewestObjectSet } from "~/server/objects/find-newest-object-sets";
import { readObjectRecords } from "~/server/objects/read-object-records";
import { convertLength } from "~/server/objects/pixel-size";
import { SAM2_OBJECT_CSV_COLUMNS, sam2ObjectScoresSchema } from "~/server/objects/sam2-object-columns";
import { csvRow } from "./csv-cell";
import {
  exportRowPages,
  finiteOrNull as num,
  IMAGE_ROW_COLUMNS,
  imageRowCells,
  PIXEL_SIZE_SELECT,
} from "./export-image-rows";
import { objectSetsOf, SAM2_NOT_GENERATED, type ObjectsExportOptions } from "./objects-source";

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

/** The columns of objects.csv of SAM 2 objects: the classical ones, SAM's numbers, and the row's status. */
export const SAM2_OBJECTS_CSV_COLUMNS = [
  ...OBJECTS_CSV_COLUMNS,
  ...SAM2_OBJECT_CSV_COLUMNS.map(([name]) => name),
  "status",
] as const;

/** `status` of a SAM 2 set without masks (its row names the set, nothing else). */
export const SAM2_NO_MASKS = "no masks";

type ImageRow = { id: string; fileName: string; dataset: { name: string } };

/** The cells of {@link OBJECTS_CSV_COLUMNS} for one object of `set`. */
function objectCells(
  image: ImageRow,
  set: NewestObjectSet,
  um: PixelSize | null,
  record: ObjectMeasurement,
): (string | number | null)[] {
  const physical = um ? (toPhysical(record, um) as unknown as Record<string, unknown>) : null;
  const bbox = Array.isArray(record.bbox) ? record.bbox : [];
  const centroid = Array.isArray(record.centroid) ? record.centroid : [];
  return [
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
  ];
}

/** SAM's numbers of a stored record, empty cells when it lacks them. */
function sam2Cells(record: unknown): (number | null)[] {
  const scores = sam2ObjectScoresSchema.safeParse(record);
  return SAM2_OBJECT_CSV_COLUMNS.map(([, get]) => (scores.success ? num(get(scores.data)) : null));
}

/** A SAM 2 row of an image without objects: the image's cells, the set's id (if any) and the status. */
function sam2StatusRow(image: ImageRow, setId: string | null, status: string): string {
  const cells: (string | number | null)[] = SAM2_OBJECTS_CSV_COLUMNS.map(() => null);
  cells.splice(0, IMAGE_ROW_COLUMNS.length, ...imageRowCells(image));
  cells[IMAGE_ROW_COLUMNS.length] = setId;
  cells[cells.length - 1] = status;
  return csvRow(cells);
}

export async function* streamObjectsCsv(options: ObjectsExportOptions): AsyncGenerator<string> {
  const sam2 = options.objects?.method === "sam2";
  yield csvRow(sam2 ? SAM2_OBJECTS_CSV_COLUMNS : OBJECTS_CSV_COLUMNS);
  const pages = exportRowPages(options, 100, PIXEL_SIZE_SELECT);
  for await (const images of pages) {
    const sets = await objectSetsOf(options, images);
    for (const image of images) {
      const set = sets.get(image.id);
      if (!set) {
        if (sam2) yield sam2StatusRow(image, null, SAM2_NOT_GENERATED);
        continue;
      }
      const labelPixel = labelPixelSizeOf(image, set.width);
      const um = labelPixel
        ? { value: convertLength(labelPixel.value, labelPixel.unit, "µm"), unit: "µm" as const }
        : null;
      let chunk = "";
      for (const record of await readObjectRecords(set, options.blobs)) {
        const cells = objectCells(image, set, um, record);
        chunk += csvRow(sam2 ? [...cells, ...sam2Cells(record), "ok"] : cells);
      }
      if (sam2 && !chunk) chunk = sam2StatusRow(image, set.id, SAM2_NO_MASKS);
      if (chunk) yield chunk;
    }
  }
}
