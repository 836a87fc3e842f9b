/**
 * The model versions a project can classify with: the built-in models installed in models/
 * (registered as rows on first use) and the project's own retrained versions, newest first.
 * Retrained versions whose network file is gone or changed are listed as unavailable.
 */
import { existsSync } from "node:fs";
import type { Db } from "~/server/db";
import { backbonePath, fileSha256, listBuiltInModelFiles, registerBuiltInModel } from "./built-in-models";
import { toModelVersionDto, type ModelVersionDto } from "./model-version-dto";

export async function listModelVersions(options: { db: Db; projectId: string }): Promise<ModelVersionDto[]> {
  const { db, projectId } = options;
  const { files } = await listBuiltInModelFiles();
  const builtIn: ModelVersionDto[] = [];
  for (const [index, file] of files.entries()) {
    const row = await registerBuiltInModel({ db, file });
    builtIn.push(toModelVersionDto(row, { ref: file.ref, isDefault: index === 0, available: true, unavailableReason: null }));
  }
  const own = await db.modelVersion.findMany({ where: { projectId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
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
