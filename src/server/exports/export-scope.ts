import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/server/db";
import { cursorPages, keysetArgs } from "./cursor-pages";
import { AppError } from "~/server/errors";

/** Which images an export covers: the whole project or one of its datasets. */
export type ExportScope = { projectId: string; datasetId?: string };

/** The Prisma condition for the scope's images (always inside the project). */
export function exportImagesWhere(scope: ExportScope) {
  return scope.datasetId ? { projectId: scope.projectId, datasetId: scope.datasetId } : { projectId: scope.projectId };
}

/** NOT_FOUND unless the dataset (if any) belongs to the project. Returns a name for the file. */
export async function assertExportScope(options: { db: Db; scope: ExportScope }): Promise<{ name: string }> {
  const { db, scope } = options;
  if (scope.datasetId) {
    const dataset = await db.dataset.findFirst({
      where: { id: scope.datasetId, projectId: scope.projectId },
      select: { name: true },
    });
    if (!dataset) throw new AppError("NOT_FOUND", "Dataset not found");
    return { name: dataset.name };
  }
  const project = await db.project.findUnique({ where: { id: scope.projectId }, select: { name: true } });
  if (!project) throw new AppError("NOT_FOUND", "Project not found");
  return { name: project.name };
}

/**
 * The scope's images in keyset pages (ordered by id), with the fields `select` names; one page
 * is in memory at a time, whatever the export's size.
 */
export function exportImagePages<Select extends Prisma.ImageSelect>(options: {
  db: Db;
  scope: ExportScope;
  select: Select;
  pageSize: number;
}): AsyncGenerator<Array<Prisma.ImageGetPayload<{ select: Select }> & { id: string }>> {
  type Row = Prisma.ImageGetPayload<{ select: Select }> & { id: string };
  const { db, scope } = options;
  const select: Prisma.ImageSelect = { ...options.select, id: true };
  return cursorPages(
    async (page) =>
      (await db.image.findMany({
        where: exportImagesWhere(scope),
        ...keysetArgs(page),
        select,
      })) as unknown as Row[],
    options.pageSize,
  );
}
