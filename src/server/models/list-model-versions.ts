/**
 * The model versions a project can classify with: the built-in models installed in models/
 * (registered as rows on first use) and the project's own retrained versions, newest first.
 * Retrained versions whose network file is gone or changed are listed as unavailable. Built-in
 * models come with their scores on the project's labels when stored analyses allow it.
 */
import { existsSync } from "node:fs";
import type { Db } from "~/server/db";
import { backbonePath, fileSha256, listBuiltInModelFiles, registerBuiltInModel } from "./built-in-models";
import { toModelVersionDto, type ModelVersionDto } from "./model-version-dto";
import { measureBuiltInModelsOnLabels } from "./stored-analysis-label-metrics";

export async function listModelVersions(options: {
  db: Db;
  projectId: string;
  /** Score built-in models on the project's labels (a query over its labelled images). @default false */
  withLabelScores?: boolean;
}): Promise<ModelVersionDto[]> {
  const { db, projectId } = options;
  const { files } = await listBuiltInModelFiles();
  const builtInRows = [];
  for (const file of files) builtInRows.push(await registerBuiltInModel({ db, file }));
  const onLabels = options.withLabelScores
    ? await measureBuiltInModelsOnLabels({ db, projectId, models: builtInRows })
    : new Map<string, undefined>();
  const builtIn = builtInRows.map((row, index) =>
    toModelVersionDto(row, {
      ref: files[index]!.ref,
      isDefault: index === 0,
      available: true,
      unavailableReason: null,
      storedLabelScores: onLabels.get(row.id),
    }),
  );
  const own = await db.modelVersion.findMany({
    where: { projectId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  const availability = new Map<string, string | null>();
  for (const row of own) {
    const key = `${row.backboneFile}\u0000${row.backboneSha256}`;
    if (!availability.has(key)) availability.set(key, await backboneProblem(row.backboneFile, row.backboneSha256));
  }
  return [
    ...builtIn,
    ...own.map((row) => {
      const problem = availability.get(`${row.backboneFile}\u0000${row.backboneSha256}`) ?? null;
      return toModelVersionDto(row, { isDefault: false, available: problem === null, unavailableReason: problem });
    }),
  ];
}

/** Why a version's network cannot run any more, or null when it can. */
export async function backboneProblem(backboneFile: string, sha256: string): Promise<string | null> {
  const file = backbonePath(backboneFile);
  if (!existsSync(file)) return `its network ${backboneFile} is not installed`;
  if ((await fileSha256(file)) !== sha256) return `its network ${backboneFile} has changed since`;
  return null;
}
