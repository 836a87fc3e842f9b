import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";

/**
 * NOT_FOUND unless the dataset belongs to the project. For inputs that only filter by a dataset
 * (lists, live streams): a foreign id must be refused, not answered with an empty page.
 */
export async function assertDatasetInProject(options: { db: Db; projectId: string; datasetId: string }) {
  const found = await options.db.dataset.count({ where: { id: options.datasetId, projectId: options.projectId } });
  if (found === 0) throw new AppError("NOT_FOUND", "Dataset not found");
}
