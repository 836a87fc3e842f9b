/**
 * The version a retraining starts from: its network (backbone) is kept and a new head is trained
 * on its pooled features. Default: the default built-in model. A retrained base contributes only
 * its backbone (the new head does not depend on the old one) and becomes the new version's parent.
 */
import type { ModelVersion } from "~/generated/prisma/client";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { backbonePath, listBuiltInModelFiles, registerBuiltInModel } from "./built-in-models";
import { backboneProblem } from "./list-model-versions";

export type RetrainBase = { base: ModelVersion; backbonePath: string; backboneName: string };

export async function resolveRetrainBase(options: {
  db: Db;
  projectId: string;
  baseVersionId?: string;
}): Promise<RetrainBase> {
  const { db, projectId } = options;
  let base: ModelVersion | null;
  if (options.baseVersionId) {
    base = await db.modelVersion.findFirst({
      where: { id: options.baseVersionId, OR: [{ projectId }, { projectId: null }] },
    });
    if (!base) throw new AppError("NOT_FOUND", "Model version not found");
  } else {
    const { files, problems } = await listBuiltInModelFiles();
    const file = files[0];
    if (!file)
      throw new AppError(
        "BAD_INPUT",
        `No model is installed to retrain from (models/ is empty${problems.length ? `; ${problems.join("; ")}` : ""})`,
      );
    base = await registerBuiltInModel({ db, file });
  }
  const problem = await backboneProblem(base.backboneFile, base.backboneSha256);
  if (problem) throw new AppError("BAD_INPUT", `"${base.name}" cannot be retrained: ${problem}`);
  // The name of the network itself: the built-in version with the same backbone, if any.
  const builtIn =
    base.projectId === null
      ? base
      : await db.modelVersion.findFirst({
          where: { projectId: null, backboneSha256: base.backboneSha256, headBlobKey: null },
          orderBy: { createdAt: "asc" },
        });
  return { base, backbonePath: backbonePath(base.backboneFile), backboneName: builtIn?.name ?? base.name };
}
