/**
 * Loading a SAM 2 encoder/decoder pair into ONNX Runtime sessions: on the configured provider
 * (providers.ts: CPU by default, CUDA with the classifier's setting and fallback), once per process
 * or worker thread (session-cache.ts's cachedModel), checked against the contract
 * (sam2-contract.ts) and against the card's sha256 of both files.
 *
 * Entry points: {@link checkSam2Pair} for installing (no card needed; signatures, pair fit and a
 * dry run, sessions released afterwards); for use (the installed card must match the bytes, which
 * the install check ran on, so the dry run is not repeated) {@link getSam2Encoder} (embedding
 * tasks), {@link getSam2Decoder} (clicks and automatic generation: a web thread never loads the
 * encoder, up to 700 MB) and {@link getSam2Model} (both, the command line).
 */
import "server-only";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";

import type * as ort from "onnxruntime-node";

import { ModelContractError, notAnOnnxModel } from "../onnx-contract";
import { createSession, type ProviderName } from "../providers";
import { cachedModel } from "../session-cache";
import { readSam2Card, SAM2_CARD_FILE, SAM2_DECODER_FILE, SAM2_ENCODER_FILE, type Sam2Card } from "./sam2-card";
import { findSam2PairFiles } from "./sam2-pair-files";
import { checkDecoderSignature, checkEncoderSignature, checkPairSignature, dryRunPair } from "./sam2-contract";

export type LoadedSam2Model = {
  /** Absolute folder holding encoder.onnx, decoder.onnx and card.json. */
  folder: string;
  card: Sam2Card;
  encoderSha256: string;
  decoderSha256: string;
  /** Identity of the pair (sha256 of both files' sha256): what results record and reuse keys on. */
  pairSha256: string;
  encoder: ort.InferenceSession;
  decoder: ort.InferenceSession;
  provider: ProviderName;
  release: () => Promise<void>;
};

type Loaded = { session: ort.InferenceSession; provider: ProviderName; sha256: string };

async function loadFile(file: string): Promise<Loaded> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    throw new ModelContractError(file, "file not found");
  }
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  try {
    const { session, provider } = await createSession(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return { session, provider, sha256 };
  } catch (error) {
    throw notAnOnnxModel(file, error);
  }
}

/** Identity of a pair from its two files' sha256. */
export function sam2PairSha256(encoderSha256: string, decoderSha256: string): string {
  return createHash("sha256").update(`sam2:${encoderSha256}:${decoderSha256}`).digest("hex");
}

type PairPaths = { encoder: string; decoder: string };

function checkSha256(file: string, loaded: Loaded, expected: string): void {
  if (loaded.sha256 !== expected) {
    throw new ModelContractError(
      file,
      `sha256 ${loaded.sha256} differs from card.json's ${expected}: the file changed after it was installed; check it again with npm run cli -- sam2-install`,
    );
  }
}

/** Loads both files and checks each one's signature and the pair's; releases them on failure. */
async function loadPair(paths: PairPaths) {
  const encoder = await loadFile(paths.encoder);
  let decoder: Loaded | undefined;
  try {
    checkEncoderSignature(encoder.session, paths.encoder);
    decoder = await loadFile(paths.decoder);
    // The pair first: a decoder made for another encoder is named as such, not just as off-contract.
    checkPairSignature(encoder.session, decoder.session, paths);
    checkDecoderSignature(decoder.session, paths.decoder);
    return { encoder, decoder };
  } catch (error) {
    await Promise.all([encoder.session.release(), decoder?.session.release()]);
    throw error;
  }
}

export type Sam2PairCheck = {
  encoderSha256: string;
  decoderSha256: string;
  provider: ProviderName;
  /** Dry-run times: the encoder on one image, the decoder per run of 2 prompts. */
  encoderMs: number;
  decoderMs: number;
};

/**
 * The install check of two files: each loads as ONNX and follows the contract, the decoder reads
 * what the encoder writes, and a dry run of both succeeds. Throws ModelContractError naming the
 * file and the problem.
 */
export async function checkSam2Pair(paths: PairPaths): Promise<Sam2PairCheck> {
  const { encoder, decoder } = await loadPair(paths);
  try {
    const timings = await dryRunPair(encoder.session, decoder.session, paths);
    return { encoderSha256: encoder.sha256, decoderSha256: decoder.sha256, provider: decoder.provider, ...timings };
  } finally {
    await Promise.all([encoder.session.release(), decoder.session.release()]);
  }
}

/** One half of an installed pair, loaded alone: a decoding thread never holds the (large) encoder. */
export type LoadedSam2Part = {
  folder: string;
  card: Sam2Card;
  sha256: string;
  session: ort.InferenceSession;
  provider: ProviderName;
  release: () => Promise<void>;
};

async function loadPart(folder: string, which: "encoder" | "decoder"): Promise<LoadedSam2Part> {
  const card = await readSam2Card(folder);
  const file = path.join(folder, which === "encoder" ? SAM2_ENCODER_FILE : SAM2_DECODER_FILE);
  const loaded = await loadFile(file);
  try {
    checkSha256(file, loaded, card[which].sha256);
    if (which === "encoder") checkEncoderSignature(loaded.session, file);
    else checkDecoderSignature(loaded.session, file);
  } catch (error) {
    await loaded.session.release();
    throw error;
  }
  return {
    folder,
    card,
    sha256: loaded.sha256,
    session: loaded.session,
    provider: loaded.provider,
    release: () => loaded.session.release(),
  };
}

/** The installed encoder in `folder` (card checked), once per process or worker thread. */
export function getSam2Encoder(folder: string): Promise<LoadedSam2Part> {
  const absolute = path.resolve(folder);
  return cachedModel(`sam2-encoder:${absolute}`, () => loadPart(absolute, "encoder"));
}

/** The installed decoder in `folder` (card checked), once per process or worker thread. */
export function getSam2Decoder(folder: string): Promise<LoadedSam2Part> {
  const absolute = path.resolve(folder);
  return cachedModel(`sam2-decoder:${absolute}`, () => loadPart(absolute, "decoder"));
}

/**
 * The installed pair in `folder`: both cached halves (shared with getSam2Encoder and
 * getSam2Decoder; releaseModels releases them), the pair's fit checked.
 */
export async function getSam2Model(folder: string): Promise<LoadedSam2Model> {
  const absolute = path.resolve(folder);
  const [encoder, decoder] = await Promise.all([getSam2Encoder(absolute), getSam2Decoder(absolute)]);
  checkPairSignature(encoder.session, decoder.session, {
    encoder: path.join(absolute, SAM2_ENCODER_FILE),
    decoder: path.join(absolute, SAM2_DECODER_FILE),
  });
  // The halves belong to the cache (releaseModels).
  return loadedModel(absolute, decoder.card, encoder, decoder, () => Promise.resolve());
}

/** A loaded pair of `folder` with its card; `release` frees what the caller owns. */
function loadedModel(
  folder: string,
  card: Sam2Card,
  encoder: Pick<LoadedSam2Part, "sha256" | "session">,
  decoder: Pick<LoadedSam2Part, "sha256" | "session" | "provider">,
  release: () => Promise<void>,
): LoadedSam2Model {
  return {
    folder,
    card,
    encoderSha256: encoder.sha256,
    decoderSha256: decoder.sha256,
    pairSha256: sam2PairSha256(encoder.sha256, decoder.sha256),
    encoder: encoder.session,
    decoder: decoder.session,
    provider: decoder.provider,
    release,
  };
}

/**
 * A pair in any folder, for the command line: an installed one (with its card) as getSam2Model
 * loads it; a folder of just-exported files (encoder.onnx and decoder.onnx, or samexporter's
 * *.encoder.onnx / *.decoder.onnx, no card) after the install check (contract and dry run), with a
 * card made up from the files' sha256.
 */
export async function openSam2Folder(folder: string): Promise<LoadedSam2Model> {
  const absolute = path.resolve(folder);
  if (existsSync(path.join(absolute, SAM2_CARD_FILE))) return getSam2Model(absolute);
  return cachedModel(`sam2-uninstalled:${absolute}`, async () => {
    const paths = await findSam2PairFiles(absolute);
    await checkSam2Pair(paths);
    const { encoder, decoder } = await loadPair(paths);
    const card: Sam2Card = {
      name: path.basename(absolute),
      encoder: { file: path.basename(paths.encoder), sha256: encoder.sha256 },
      decoder: { file: path.basename(paths.decoder), sha256: decoder.sha256 },
    };
    return loadedModel(absolute, card, encoder, decoder, async () => {
      await Promise.all([encoder.session.release(), decoder.session.release()]);
    });
  });
}
