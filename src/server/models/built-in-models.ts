/**
 * The built-in models: the .onnx files in models/ (plus the configured INFERENCE_MODEL when it
 * lives elsewhere), each registered once as a ModelVersion with projectId null, keyed by the
 * sha256 of its bytes. Registration happens on first use (listing, analysing, retraining) and
 * is idempotent: concurrent first uses serialise on an advisory lock and find one row.
 */
import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import type { Prisma } from "~/generated/prisma/client";
import { configuredModel } from "~/server/analysis/classify-raster";
import type { Db } from "~/server/db";
import { readModelCard, type ModelCard } from "~/server/inference/model-card";
import { modelsDirectory, resolveModelPath } from "~/server/inference/session-cache";

export type BuiltInModelFile = {
  /** What analyses name it by: the file stem for models/, else the path as configured. */
  ref: string;
  /** ModelVersion.backboneFile: relative to models/ when inside it, else absolute. */
  backboneFile: string;
  path: string;
  sha256: string;
  card: ModelCard;
};

const hashes = new Map<string, { mtimeMs: number; size: number; sha256: string }>();

/** sha256 of a file, remembered per (path, mtime, size) so listing does not re-read models. */
export async function fileSha256(file: string): Promise<string> {
  const info = await stat(file);
  const known = hashes.get(file);
  if (known && known.mtimeMs === info.mtimeMs && known.size === info.size) return known.sha256;
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  const sha256 = hash.digest("hex");
  hashes.set(file, { mtimeMs: info.mtimeMs, size: info.size, sha256 });
  return sha256;
}

/** ModelVersion.backboneFile -> absolute path of the .onnx file. */
export function backbonePath(backboneFile: string): string {
  return path.isAbsolute(backboneFile) ? backboneFile : path.join(modelsDirectory(), backboneFile);
}

function backboneFileFor(modelPath: string): string {
  const relative = path.relative(modelsDirectory(), modelPath);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : modelPath;
}

/**
 * Reads one model file and its card; null when the file is not there. Throws when the card is
 * missing, invalid or belongs to other bytes (the model cannot be used then).
 */
export async function readBuiltInModelFile(model: string): Promise<BuiltInModelFile | null> {
  const modelPath = resolveModelPath(model);
  if (!existsSync(modelPath)) return null;
  const [sha256, card] = await Promise.all([fileSha256(modelPath), readModelCard(modelPath)]);
  if (card.sha256 !== sha256) throw new Error(`${modelPath}: sha256 ${sha256} differs from its card's ${card.sha256}`);
  const backboneFile = backboneFileFor(modelPath);
  // A file directly in models/ goes by its name, as the model picker and job payloads name it.
  const inModels = backboneFile !== modelPath && !backboneFile.includes(path.sep);
  const ref = inModels ? backboneFile.slice(0, -".onnx".length) : model;
  return { ref, backboneFile, path: modelPath, sha256, card };
}

/** Every usable built-in model file, the configured default first. Broken ones are left out. */
export async function listBuiltInModelFiles(): Promise<{ files: BuiltInModelFile[]; problems: string[] }> {
  const fallback = configuredModel();
  let names: string[] = [];
  try {
    names = (await readdir(modelsDirectory()))
      .filter((f) => f.endsWith(".onnx"))
      .map((f) => f.slice(0, -".onnx".length));
  } catch {
    names = []; // no models/ folder
  }
  const candidates = [fallback, ...names.sort()];
  const files: BuiltInModelFile[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const name of candidates) {
    try {
      const file = await readBuiltInModelFile(name);
      if (!file || seen.has(file.path)) continue;
      seen.add(file.path);
      files.push(file);
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  return { files, problems };
}

export type BuiltInVersionRow = Prisma.ModelVersionGetPayload<object>;

/** THE ModelVersion row of a built-in model file (created on first use). */
export async function registerBuiltInModel(options: { db: Db; file: BuiltInModelFile }): Promise<BuiltInVersionRow> {
  const { db, file } = options;
  const where = { projectId: null, backboneSha256: file.sha256, headBlobKey: null };
  const existing = await db.modelVersion.findFirst({ where, orderBy: { createdAt: "asc" } });
  if (existing) {
    if (existing.backboneFile === file.backboneFile) return existing;
    // The same bytes under another name (renamed or moved): follow the file.
    return db.modelVersion.update({ where: { id: existing.id }, data: { backboneFile: file.backboneFile } });
  }
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${`model-version:built-in:${file.sha256}`}))::text`;
    const raced = await tx.modelVersion.findFirst({ where, orderBy: { createdAt: "asc" } });
    if (raced) return raced;
    return tx.modelVersion.create({
      data: {
        projectId: null,
        name: file.card.name,
        backboneFile: file.backboneFile,
        backboneSha256: file.sha256,
        headBlobKey: null,
        classes: file.card.classes,
        metrics: { source: "model-card", version: file.card.version, card: file.card.metrics as Prisma.InputJsonValue },
        labelSnapshot: {},
      },
    });
  });
}

/** The row of a built-in model named as analyses name it; null when the file is not installed. */
export async function ensureBuiltInModelVersion(options: { db: Db; model: string }): Promise<BuiltInVersionRow | null> {
  const file = await readBuiltInModelFile(options.model);
  return file ? registerBuiltInModel({ db: options.db, file }) : null;
}
