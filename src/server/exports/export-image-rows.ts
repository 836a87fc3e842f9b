/**
 * What the per-image exports share: paging over the scope's images with the fields every row
 * starts with (image id, dataset name, file name) plus the export's own, and those first cells.
 */
import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/server/db";
import { findReportedObjectSets } from "~/server/objects/find-newest-object-sets";
import type { ReportedSettings } from "~/server/settings/settings-results";
import { exportImagePages, type ExportScope } from "./export-scope";

/** The options every streamed export takes. */
export type ExportPagingOptions = { db: Db; scope: ExportScope; pageSize?: number };

/**
 * The options of an export of results: which settings version's results it reports
 * (src/server/settings), never "whatever was viewed last".
 */
export type ResultsExportOptions = ExportPagingOptions & { settings: ReportedSettings };

/** The object set each image of a page reports under the export's settings version, by image id. */
export function reportedObjectSetsOf(options: ResultsExportOptions, images: readonly { id: string }[]) {
  return findReportedObjectSets({
    db: options.db,
    projectId: options.scope.projectId,
    settings: options.settings,
    imageIds: images.map((image) => image.id),
  });
}

/** The columns that start every per-image row. */
export const IMAGE_ROW_COLUMNS = ["image_id", "dataset", "file"] as const;

/** The image fields that locate a pixel size on the image (label-map pixel sizes included). */
export const PIXEL_SIZE_SELECT = { width: true, pixelSizeUm: true, pixelSizeUnit: true } as const;

const IMAGE_ROW_SELECT = { fileName: true, dataset: { select: { name: true } } } as const;

/** The scope's images in keyset pages (`pageSize`, else `defaultPageSize`), with the row fields and `select`. */
export function exportRowPages<Select extends Prisma.ImageSelect>(
  options: ExportPagingOptions,
  defaultPageSize: number,
  select: Select,
) {
  return exportImagePages({
    db: options.db,
    scope: options.scope,
    pageSize: options.pageSize ?? defaultPageSize,
    select: { ...IMAGE_ROW_SELECT, ...select },
  });
}

/** The cells of {@link IMAGE_ROW_COLUMNS}. */
export function imageRowCells(image: { id: string; fileName: string; dataset: { name: string } }) {
  return [image.id, image.dataset.name, image.fileName] as const;
}

/** `value` when it is a finite number, else null (an empty cell). */
export const finiteOrNull = (value: unknown): number | null =>
  typeof value === "number" && Number.isFinite(value) ? value : null;
