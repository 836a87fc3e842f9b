/**
 * Which network and head classify an analysis, from the model reference the caller gave
 * (model-ref.ts): a built-in model file (its own head) or a project's retrained version (the
 * backbone file + the head stored as a blob). The version's head replaces the network's linear
 * layer for both the probabilities and the CAM (inference/classify.ts).
 */
import { existsSync } from "node:fs";
import type { Db } from "~/server/db";
import { headFromJson, type LinearHead } from "~/server/inference/linear-head";
import { type HeadFeatures, retrainedHeadSchema } from "~/server/inference/retrain-head";
import { resolveModelPath } from "~/server/inference/session-cache";
import { BlobNotFoundError, type BlobStore } from "~/server/storage";
import { backbonePath, fileSha256, readBuiltInModelFile, registerBuiltInModel } from "./built-in-models";
import { parseModelRef } from "./model-ref";

/** A named version that cannot classify (deleted, its backbone file changed or gone, head lost). */
export class ModelVersionUnavailableError extends Error {
  override readonly name = "ModelVersionUnavailableError";
}

export type ResolvedClassifier = {
  status: "ready";
  /** The reference recorded with the result (Analysis.params.classifier.model). */
  ref: string;
  backbonePath: string;
  /** The ModelVersion row (built-in ones are registered on first use). */
  modelVersionId: string;
  /** A retrained head; absent: the network's own head. */
  head?: LinearHead;
  /** What a retrained head reads, when it is more than the pooled CNN features. */
  headFeatures?: HeadFeatures;
};

export type ClassifierResolution = ResolvedClassifier | { status: "not-installed"; reason: string };

const heads = new Map<string, { head: LinearHead; features?: HeadFeatures }>();
const MAX_CACHED_HEADS = 32;

/** A stored head blob (retrain-model.handler.ts writes them), parsed once per process. */
export async function loadHead(store: BlobStore, headBlobKey: string): Promise<LinearHead> {
  return (await loadStoredHead(store, headBlobKey)).head;
}

/** A stored head and what it reads (absent: pooled CNN features only). */
export async function loadStoredHead(
  store: BlobStore,
  headBlobKey: string,
): Promise<{ head: LinearHead; features?: HeadFeatures }> {
  const cached = heads.get(headBlobKey);
  if (cached) return cached;
  let bytes: Buffer;
  try {
    bytes = await store.get(headBlobKey);
  } catch (error) {
    if (error instanceof BlobNotFoundError)
      throw new ModelVersionUnavailableError("the version's head is missing from storage");
    throw error;
  }
  const json = retrainedHeadSchema.parse(JSON.parse(bytes.toString("utf8")));
  const head = {
    head: headFromJson(json),
    ...(json.featureSet && json.featureSet.features !== "cnn" ? { features: json.featureSet } : {}),
  };
  if (heads.size >= MAX_CACHED_HEADS) heads.delete(heads.keys().next().value!);
  heads.set(headBlobKey, head);
  return head;
}

export async function resolveClassifier(options: {
  db: Db;
  store: BlobStore;
  projectId: string;
  model: string;
}): Promise<ClassifierResolution> {
  const { db, projectId } = options;
  let parsed;
  try {
    parsed = parseModelRef(options.model);
  } catch (error) {
    throw new ModelVersionUnavailableError(error instanceof Error ? error.message : String(error));
  }

  if (parsed.kind === "file") {
    const file = await readBuiltInModelFile(parsed.model);
    if (!file)
      return { status: "not-installed", reason: `no model (${resolveModelPath(parsed.model)} is not installed)` };
    const row = await registerBuiltInModel({ db, file });
    // Recorded as asked, exactly as before versions existed (same parameter hash).
    return { status: "ready", ref: options.model, backbonePath: file.path, modelVersionId: row.id };
  }

  const row = await db.modelVersion.findFirst({
    where: { id: parsed.modelVersionId, OR: [{ projectId }, { projectId: null }] },
  });
  if (!row) throw new ModelVersionUnavailableError("the model version does not exist (deleted?)");
  const file = backbonePath(row.backboneFile);
  if (!existsSync(file))
    throw new ModelVersionUnavailableError(`the version's network ${row.backboneFile} is not installed`);
  if ((await fileSha256(file)) !== row.backboneSha256) {
    throw new ModelVersionUnavailableError(`the network ${row.backboneFile} has changed since "${row.name}" was made`);
  }
  if (!row.headBlobKey) {
    // A built-in version named by id: recorded under the file's own name (one hash per result).
    const builtIn = await readBuiltInModelFile(file);
    return { status: "ready", ref: builtIn?.ref ?? file, backbonePath: file, modelVersionId: row.id };
  }
  const { head, features } = await loadStoredHead(options.store, row.headBlobKey);
  return {
    status: "ready",
    ref: options.model,
    backbonePath: file,
    modelVersionId: row.id,
    head,
    ...(features ? { headFeatures: features } : {}),
  };
}
