/**
 * Which SAM 2 models are installed: the folders of SAM2_MODELS_DIR (default MODELS_DIR/sam2), each
 * `<name>/{encoder.onnx, decoder.onnx, card.json}`, with their card and a status. Listing reads
 * the cards and hashes the files (remembered per path, size and mtime, so a listing after the
 * first one reads nothing big); it never loads a model.
 */
import "server-only";
import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";

import { serverEnv } from "~/server/env";

import { readSam2Card, SAM2_CARD_FILE, SAM2_DECODER_FILE, SAM2_ENCODER_FILE, type Sam2Card } from "./sam2-card";
import { sam2PairSha256 } from "./sam2-model";

/** One line for a user with no model installed: what to do. */
export const SAM2_INSTALL_HINT =
  "No SAM 2 model is installed. Export one with samexporter (models/sam2/README.md), then run: npm run cli -- sam2-install <folder> --name <name>";

/** Names an installed model may have (also its folder's name). */
export const SAM2_MODEL_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The folder of installed SAM 2 models. */
export function sam2ModelsDirectory(): string {
  const env = serverEnv();
  return path.resolve(env.SAM2_MODELS_DIR ?? path.join(env.MODELS_DIR, "sam2"));
}

/**
 * ready: the card matches both files (the install check ran on these bytes);
 * changed: a file's sha256 differs from its card (replaced after installing: check it again);
 * incomplete: a file is missing; invalid-card: card.json is missing or broken.
 */
export type Sam2ModelStatus = "ready" | "changed" | "incomplete" | "invalid-card";

export type Sam2ModelListing = {
  /** The folder's name: what runs and tools name the model by. */
  name: string;
  folder: string;
  status: Sam2ModelStatus;
  /** Why the model is not ready, for the user. */
  problem: string | null;
  card: Sam2Card | null;
  /** Identity of the pair (sam2PairSha256), when ready. */
  pairSha256: string | null;
  encoderBytes: number | null;
  decoderBytes: number | null;
};

const hashes = new Map<string, { mtimeMs: number; size: number; sha256: string }>();

async function fileSha256(file: string): Promise<{ sha256: string; size: number }> {
  const info = await stat(file);
  const known = hashes.get(file);
  if (known && known.mtimeMs === info.mtimeMs && known.size === info.size)
    return { sha256: known.sha256, size: info.size };
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  const sha256 = hash.digest("hex");
  hashes.set(file, { mtimeMs: info.mtimeMs, size: info.size, sha256 });
  return { sha256, size: info.size };
}

/** The listing of one model folder (never throws for a broken model: the status says why). */
export async function describeSam2Folder(folder: string): Promise<Sam2ModelListing> {
  const absolute = path.resolve(folder);
  const listing: Sam2ModelListing = {
    name: path.basename(absolute),
    folder: absolute,
    status: "ready",
    problem: null,
    card: null,
    pairSha256: null,
    encoderBytes: null,
    decoderBytes: null,
  };
  const missing = [SAM2_ENCODER_FILE, SAM2_DECODER_FILE].filter((f) => !existsSync(path.join(absolute, f)));
  if (missing.length > 0) {
    return { ...listing, status: "incomplete", problem: `${missing.join(" and ")} missing in ${absolute}` };
  }
  try {
    listing.card = await readSam2Card(absolute);
  } catch (error) {
    return { ...listing, status: "invalid-card", problem: error instanceof Error ? error.message : String(error) };
  }
  const [encoder, decoder] = await Promise.all([
    fileSha256(path.join(absolute, SAM2_ENCODER_FILE)),
    fileSha256(path.join(absolute, SAM2_DECODER_FILE)),
  ]);
  listing.encoderBytes = encoder.size;
  listing.decoderBytes = decoder.size;
  const changed = [
    ...(encoder.sha256 !== listing.card.encoder.sha256 ? [SAM2_ENCODER_FILE] : []),
    ...(decoder.sha256 !== listing.card.decoder.sha256 ? [SAM2_DECODER_FILE] : []),
  ];
  if (changed.length > 0) {
    return {
      ...listing,
      status: "changed",
      problem: `${changed.join(" and ")} changed since the install check (sha256 differs from ${SAM2_CARD_FILE}); run sam2-install again`,
    };
  }
  return { ...listing, pairSha256: sam2PairSha256(encoder.sha256, decoder.sha256) };
}

/** Every model folder of the SAM 2 models directory, by name; none when the directory is absent. */
export async function listSam2Models(directory: string = sam2ModelsDirectory()): Promise<Sam2ModelListing[]> {
  let entries;
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch {
    return [];
  }
  const folders = entries
    .filter((entry) => entry.isDirectory() && SAM2_MODEL_NAME_PATTERN.test(entry.name))
    .map((entry) => path.join(directory, entry.name))
    .sort();
  return Promise.all(folders.map(describeSam2Folder));
}

/** A model name (a folder of the models directory) or a path to a model folder -> absolute folder. */
export function resolveSam2Folder(nameOrFolder: string): string {
  const isPath = nameOrFolder.includes("/") || nameOrFolder.includes(path.sep);
  if (!isPath && SAM2_MODEL_NAME_PATTERN.test(nameOrFolder)) {
    return path.join(sam2ModelsDirectory(), nameOrFolder);
  }
  return path.resolve(nameOrFolder);
}

export class Sam2ModelUnavailableError extends Error {
  override readonly name = "Sam2ModelUnavailableError";
}

/**
 * The ready model named `nameOrFolder`, or, without a name, the only ready one (the first by name
 * when several are). Throws Sam2ModelUnavailableError with the install hint or the model's problem.
 */
export async function findReadySam2Model(nameOrFolder?: string | null): Promise<Sam2ModelListing> {
  if (nameOrFolder) {
    const folder = resolveSam2Folder(nameOrFolder);
    if (!existsSync(folder)) {
      throw new Sam2ModelUnavailableError(
        `SAM 2 model "${nameOrFolder}" is not installed (no folder ${folder}). ${SAM2_INSTALL_HINT}`,
      );
    }
    const listing = await describeSam2Folder(folder);
    if (listing.status !== "ready")
      throw new Sam2ModelUnavailableError(`SAM 2 model "${nameOrFolder}": ${listing.problem}`);
    return listing;
  }
  const ready = (await listSam2Models()).find((model) => model.status === "ready");
  if (!ready) throw new Sam2ModelUnavailableError(SAM2_INSTALL_HINT);
  return ready;
}
