/**
 * Where the encoder and the decoder of a SAM 2 pair are in a folder: encoder.onnx and decoder.onnx
 * (an installed model), or samexporter's names (sam2.1_hiera_tiny.encoder.onnx and
 * sam2.1_hiera_tiny.decoder.onnx: one .onnx file with "encoder" and one with "decoder" in its name).
 */
import "server-only";
import { readdir } from "node:fs/promises";
import path from "node:path";

import { SAM2_DECODER_FILE, SAM2_ENCODER_FILE } from "./sam2-card";

/** A folder that cannot be installed as it is (not a folder, files missing or ambiguous, bad name). */
export class Sam2InstallError extends Error {
  override readonly name = "Sam2InstallError";
}

/** The encoder and decoder files of a source folder; Sam2InstallError when they are not clear. */
export async function findSam2PairFiles(source: string): Promise<{ encoder: string; decoder: string }> {
  let names: string[];
  try {
    names = await readdir(source);
  } catch {
    throw new Sam2InstallError(
      `${source} is not a folder: give the folder holding the encoder and decoder .onnx files`,
    );
  }
  const pick = (role: "encoder" | "decoder", exact: string): string => {
    if (names.includes(exact)) return path.join(source, exact);
    const candidates = names.filter((n) => n.toLowerCase().endsWith(".onnx") && n.toLowerCase().includes(role));
    if (candidates.length === 1) return path.join(source, candidates[0]!);
    throw new Sam2InstallError(
      candidates.length === 0
        ? `${source} has no ${exact} (nor one .onnx file with "${role}" in its name)`
        : `${source} has several ${role} files (${candidates.join(", ")}): keep one, or name it ${exact}`,
    );
  };
  return { encoder: pick("encoder", SAM2_ENCODER_FILE), decoder: pick("decoder", SAM2_DECODER_FILE) };
}
