/**
 * Installing a SAM 2 model: check an exported encoder/decoder pair against the contract (each file
 * loads as ONNX, names, ranks, dtypes and static dims, the decoder reads what the encoder writes,
 * a dry run of both), then copy it to SAM2_MODELS_DIR/<name>/{encoder.onnx, decoder.onnx} and
 * write its card.json with both files' sha256. Nothing is copied when a check fails.
 *
 * The source is a folder holding encoder.onnx and decoder.onnx, or samexporter's file names
 * (e.g. sam2.1_hiera_tiny.encoder.onnx and sam2.1_hiera_tiny.decoder.onnx: one file with
 * "encoder" and one with "decoder" in its name). A card.json already in the source is kept, its
 * name, files and sha256 rewritten.
 */
import "server-only";
import { existsSync } from "node:fs";
import { copyFile, mkdir, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";

import { SAM2_CARD_FILE, SAM2_DECODER_FILE, SAM2_ENCODER_FILE, writeSam2Card, type Sam2Card } from "./sam2-card";
import { checkSam2Pair, type Sam2PairCheck } from "./sam2-model";
import { findSam2PairFiles, Sam2InstallError } from "./sam2-pair-files";
import { SAM2_MODEL_NAME_PATTERN, sam2ModelsDirectory } from "./sam2-registry";

export { Sam2InstallError } from "./sam2-pair-files";

/** "hiera_tiny" and friends from samexporter's file names, when they say it. */
export function guessSam2Variant(fileName: string): string | undefined {
  const match = /hiera[_-]?(tiny|small|base[_-]?plus|large|t|s|b\+|l)(?![a-z])/i.exec(fileName);
  if (!match) return undefined;
  const size = match[1]!.toLowerCase().replace("-", "_");
  const full: Record<string, string> = { t: "tiny", s: "small", "b+": "base_plus", l: "large", baseplus: "base_plus" };
  return `hiera_${full[size] ?? size}`;
}

async function sourceCard(source: string): Promise<Record<string, unknown>> {
  const file = path.join(source, SAM2_CARD_FILE);
  if (!existsSync(file)) return {};
  try {
    const json: unknown = JSON.parse(await readFile(file, "utf8"));
    return typeof json === "object" && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  } catch (error) {
    throw new Sam2InstallError(`${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function objectField(card: Record<string, unknown>, key: string): Record<string, unknown> {
  const value = card[key];
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export type InstalledSam2Model = { folder: string; card: Sam2Card; check: Sam2PairCheck; copied: boolean };

/**
 * Checks the pair in `source` and installs it as `name`. `checkOnly`: the check without copying.
 * Throws ModelContractError (a file breaks the contract, or the pair does not fit) or
 * Sam2InstallError (bad name, missing files, the name is taken and `replace` is not set).
 */
export async function installSam2Model(options: {
  source: string;
  name: string;
  /** @default SAM2_MODELS_DIR */
  directory?: string;
  replace?: boolean;
  checkOnly?: boolean;
}): Promise<InstalledSam2Model> {
  const { name } = options;
  if (!SAM2_MODEL_NAME_PATTERN.test(name)) {
    throw new Sam2InstallError(
      `model name "${name}" must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit`,
    );
  }
  const source = path.resolve(options.source);
  const files = await findSam2PairFiles(source);
  const check = await checkSam2Pair(files);
  const target = path.join(path.resolve(options.directory ?? sam2ModelsDirectory()), name);
  const inPlace = path.resolve(target) === source;
  const previous = await sourceCard(source);
  const card: Sam2Card = {
    ...previous,
    name,
    variant:
      typeof previous.variant === "string"
        ? previous.variant
        : (guessSam2Variant(path.basename(files.encoder)) ?? guessSam2Variant(path.basename(source))),
    encoder: { ...objectField(previous, "encoder"), file: SAM2_ENCODER_FILE, sha256: check.encoderSha256 },
    decoder: { ...objectField(previous, "decoder"), file: SAM2_DECODER_FILE, sha256: check.decoderSha256 },
    installed: {
      at: new Date().toISOString(),
      from: source,
      provider: check.provider,
      encoderMs: Math.round(check.encoderMs),
      decoderMs: Math.round(check.decoderMs),
    },
  };
  if (options.checkOnly) return { folder: source, card, check, copied: false };
  if (!inPlace && existsSync(target) && !options.replace) {
    throw new Sam2InstallError(
      `a SAM 2 model named "${name}" is already installed in ${target} (use --replace to overwrite it)`,
    );
  }
  await mkdir(target, { recursive: true });
  if (!inPlace) {
    // Copied under a temporary name first: a half-copied 700 MB file is never taken for a model.
    for (const [from, to] of [
      [files.encoder, SAM2_ENCODER_FILE],
      [files.decoder, SAM2_DECODER_FILE],
    ] as const) {
      const partial = path.join(target, `${to}.partial`);
      await copyFile(from, partial);
      await rename(partial, path.join(target, to));
    }
  } else if (path.basename(files.encoder) !== SAM2_ENCODER_FILE || path.basename(files.decoder) !== SAM2_DECODER_FILE) {
    await rename(files.encoder, path.join(target, SAM2_ENCODER_FILE));
    await rename(files.decoder, path.join(target, SAM2_DECODER_FILE));
  }
  try {
    await writeSam2Card(target, card);
  } catch (error) {
    if (!inPlace) await rm(target, { recursive: true, force: true });
    throw error;
  }
  return { folder: target, card, check, copied: !inPlace };
}
