import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { backbonePath, readBuiltInModelFile } from "./built-in-models";
import { backboneProblem } from "./list-model-versions";
import { toModelVersionDto, type ModelVersionDto } from "./model-version-dto";
import { measureBuiltInModelsOnLabels } from "./stored-analysis-label-metrics";

/** One version the project can see (its own or a built-in one) with its metrics. */
export async function getModelVersion(options: {
  db: Db;
  projectId: string;
  modelVersionId: string;
}): Promise<ModelVersionDto & { parentName: string | null }> {
  const { db, projectId } = options;
  const row = await db.modelVersion.findFirst({
    where: { id: options.modelVersionId, OR: [{ projectId }, { projectId: null }] },
  });
  if (!row) throw new AppError("NOT_FOUND", "Model version not found");
  const problem = await backboneProblem(row.backboneFile, row.backboneSha256);
  const builtInFile =
    row.projectId === null && problem === null
      ? await readBuiltInModelFile(backbonePath(row.backboneFile)).catch(() => null)
      : null;
  const parent = row.parentId
    ? await db.modelVersion.findFirst({
        where: { id: row.parentId, OR: [{ projectId }, { projectId: null }] },
        select: { name: true },
      })
    : null;
  const storedLabelScores =
    row.projectId === null
      ? (await measureBuiltInModelsOnLabels({ db, projectId, models: [row] })).get(row.id)
      : undefined;
  return {
    ...toModelVersionDto(row, {
      ref: builtInFile?.ref,
      isDefault: false,
      available: problem === null,
      unavailableReason: problem,
      storedLabelScores,
    }),
    parentName: parent?.name ?? null,
  };
}
