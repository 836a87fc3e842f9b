/**
 * One ONNX Runtime session per model file, created once and shared (a session is thread-safe for
 * concurrent runs and costs tens of MB, so never per request). Loading also validates the model
 * against the contract and its card, so a cached model is always a usable one.
 */
import "server-only";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";

import type * as ort from "onnxruntime-node";
import { serverEnv } from "~/server/env";

import { headFromJson, type LinearHead } from "./linear-head";
import { readModelCard, type ModelCard } from "./model-card";
import { checkSignature, type ContractShape, ModelContractError, notAnOnnxModel, probeContract } from "./onnx-contract";
import { createSession, type ProviderName } from "./providers";

export type LoadedModel = {
  /** Absolute path of the .onnx file. */
  path: string;
  /** sha256 of the .onnx bytes (the backbone identity for feature caches and retrained heads). */
  sha256: string;
  card: ModelCard;
  /** The network's own head, from the card. */
  head: LinearHead;
  shape: ContractShape;
  session: ort.InferenceSession;
  provider: ProviderName;
};

const cache = new Map<string, Promise<LoadedModel>>();

/** The repository's models/ folder (override with MODELS_DIR). */
export function modelsDirectory(): string {
  return path.resolve(serverEnv().MODELS_DIR);
}

/** The model shipped by default. */
export const DEFAULT_MODEL_NAME = "visual-ccc-synthetic-v2";

/** A model name ("visual-ccc-synthetic-v2") or a path to a .onnx file -> absolute path. */
export function resolveModelPath(nameOrPath: string = DEFAULT_MODEL_NAME): string {
  if (nameOrPath.endsWith(".onnx") || nameOrPath.includes("/") || nameOrPath.includes(path.sep))
    return path.resolve(nameOrPath);
  return path.join(modelsDirectory(), `${nameOrPath}.onnx`);
}

async function load(modelPath: string): Promise<LoadedModel> {
  let bytes: Buffer;
  try {
    bytes = await readFile(modelPath);
  } catch {
    throw new ModelContractError(modelPath, "model file not found");
  }
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const card = await readModelCard(modelPath).catch((error: unknown) => {
    throw new ModelContractError(modelPath, error instanceof Error ? error.message : String(error));
  });
  if (card.sha256 !== sha256) {
    throw new ModelContractError(
      modelPath,
      `sha256 ${sha256} differs from the model card's ${card.sha256}: card and model do not belong together`,
    );
  }
  let created: Awaited<ReturnType<typeof createSession>>;
  try {
    created = await createSession(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    throw notAnOnnxModel(modelPath, error);
  }
  const { session, provider } = created;
  try {
    checkSignature(session, modelPath);
    const head = headFromJson({ classes: card.classes, ...card.head });
    const shape = await probeContract(session, head, modelPath);
    return { path: modelPath, sha256, card, head, shape, session, provider };
  } catch (error) {
    await session.release();
    throw error;
  }
}

/**
 * The validated, cached model for a name or path. Concurrent callers share one load; a failed
 * load is not cached, so fixing the file and retrying works.
 */
export function getModel(nameOrPath?: string): Promise<LoadedModel> {
  const modelPath = resolveModelPath(nameOrPath);
  let entry = cache.get(modelPath);
  if (!entry) {
    entry = load(modelPath);
    cache.set(modelPath, entry);
    entry.catch(() => cache.delete(modelPath));
  }
  return entry;
}

type Releasable = { release: () => Promise<void> };
const otherModels = new Map<string, Promise<Releasable>>();

/**
 * The same cache for the other kinds of model (SAM 2 encoder/decoder pairs, inference/sam2):
 * `load` runs once per key, concurrent callers share it, a failed load is forgotten, and
 * releaseModels releases what it loaded.
 */
export function cachedModel<T extends Releasable>(key: string, load: () => Promise<T>): Promise<T> {
  let entry = otherModels.get(key) as Promise<T> | undefined;
  if (!entry) {
    entry = load();
    otherModels.set(key, entry);
    entry.catch(() => otherModels.delete(key));
  }
  return entry;
}

/** Releases every cached session (tests, shutdown). */
export async function releaseModels(): Promise<void> {
  const entries = [...cache.values()];
  const others = [...otherModels.values()];
  cache.clear();
  otherModels.clear();
  await Promise.all([
    ...entries.map(async (entry) => (await entry.catch(() => undefined))?.session.release()),
    ...others.map(async (entry) => (await entry.catch(() => undefined))?.release()),
  ]);
}
