/**
 * results.table: a page of the results view's rows (images by id, as results.csv orders them),
 * each with its numbers by column key, and the columns those numbers fill (label and unit). The
 * rows are results.csv's (src/server/results/result-rows.ts), so the view and the file agree.
 */
import "server-only";
import { columnsOf, type ResultColumn } from "~/core/results/result-columns";
import { AppError } from "~/server/errors";
import { keysetArgs } from "~/server/exports/cursor-pages";
import { exportImagesWhere } from "~/server/exports/export-scope";
import { buildResultRows, measurementsOf, RESULT_ROW_IMAGE_SELECT, type ResultRow } from "./result-rows";
import { resolveResultsScope, type ResultsScopeInput } from "./results-scope";

/** A row of the view: results.csv's row, its numbers by column key (absent: not reported). */
export type ResultTableRow = Pick<
  ResultRow,
  | "imageId"
  | "datasetId"
  | "dataset"
  | "file"
  | "label"
  | "prediction"
  | "modelVersion"
  | "analysedAt"
  | "status"
  | "tags"
  | "uncertainReason"
> & { values: Record<string, number> };

export type ResultTablePage = {
  settingsVersion: number;
  /** The columns this page's rows fill, in display order (pages may add columns: merge them). */
  columns: ResultColumn[];
  rows: ResultTableRow[];
  /** The last image id of this page, or null when it is the last page. */
  nextCursor: string | null;
};

export async function listResultRows(
  options: ResultsScopeInput & { cursor?: string; limit: number },
): Promise<ResultTablePage> {
  const { db, projectId, cursor, limit } = options;
  const { scope, settings } = await resolveResultsScope(options);
  // A cursor is an image of the scope: another project's id must not position the page.
  if (cursor && (await db.image.count({ where: { id: cursor, ...exportImagesWhere(scope) } })) === 0) {
    throw new AppError("NOT_FOUND", "Image not found");
  }
  const images = await db.image.findMany({
    where: exportImagesWhere(scope),
    ...keysetArgs({ cursor, take: limit + 1 }),
    select: { id: true, ...RESULT_ROW_IMAGE_SELECT },
  });
  const page = images.slice(0, limit);
  const rows = (await buildResultRows({ db, projectId, settings, images: page })).map((row) => ({
    imageId: row.imageId,
    datasetId: row.datasetId,
    dataset: row.dataset,
    file: row.file,
    label: row.label,
    prediction: row.prediction,
    modelVersion: row.modelVersion,
    analysedAt: row.analysedAt,
    status: row.status,
    tags: row.tags,
    uncertainReason: row.uncertainReason,
    values: measurementsOf(row),
  }));
  return {
    settingsVersion: settings.version,
    columns: columnsOf(rows.flatMap((row) => Object.keys(row.values))),
    rows,
    nextCursor: images.length > limit ? (page[page.length - 1]?.id ?? null) : null,
  };
}
