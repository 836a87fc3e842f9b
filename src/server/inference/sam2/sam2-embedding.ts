/**
 * One image's SAM 2 embedding: computing it (preprocess + encoder) and its bytes in the BlobStore.
 *
 * Stored format (one blob, ~16.8 MB): the 8 bytes "VCSAM2E1", a uint32 (little-endian) length of
 * a JSON header, the header ({ encoderSha256, codeVersion, width, height, tensors: { name: dims } }),
 * zero padding to a multiple of 4, then the float32 values of image_embed, high_res_feats_0 and
 * high_res_feats_1 in that order, in the platform's byte order (little-endian on every platform
 * ONNX Runtime's Node package ships for). The header lets a reader check that the bytes are what
 * it asked for; the values are read as views, without copying.
 */
import "server-only";
import type { Raster } from "~/core/analysis/raster";

import type { LoadedSam2Model } from "./sam2-model";
import {
  assertEmbedding,
  encoderInput,
  readEmbedding,
  SAM2_EMBEDDING_TENSOR_NAMES,
  SAM2_EMBEDDING_TENSORS,
  type Sam2Embedding,
} from "./sam2-contract";
import { SAM2_EMBEDDING_CODE_VERSION, sam2EncoderPlanes } from "./sam2-preprocess";

const MAGIC = "VCSAM2E1";

export type Sam2EmbeddingHeader = {
  encoderSha256: string;
  codeVersion: string;
  /** Size of the image it was computed from (prompts are scaled from it to the 1024 frame). */
  width: number;
  height: number;
};

export type StoredSam2Embedding = Sam2EmbeddingHeader & { embedding: Sam2Embedding };

/** What the encoder run needs of a loaded model (getSam2Model's, or an encoder alone). */
export type Sam2EncoderHandle = Pick<LoadedSam2Model, "encoder" | "encoderSha256" | "folder">;

/** Runs the encoder on a decoded image. */
export async function computeSam2Embedding(
  model: Sam2EncoderHandle,
  raster: Raster,
): Promise<{ stored: StoredSam2Embedding; timingsMs: { preprocess: number; encoder: number } }> {
  const started = performance.now();
  const planes = sam2EncoderPlanes(raster);
  const preprocessed = performance.now();
  const embedding = readEmbedding(await model.encoder.run(encoderInput(planes)), model.folder);
  const timingsMs = { preprocess: preprocessed - started, encoder: performance.now() - preprocessed };
  return {
    stored: {
      encoderSha256: model.encoderSha256,
      codeVersion: SAM2_EMBEDDING_CODE_VERSION,
      width: raster.width,
      height: raster.height,
      embedding,
    },
    timingsMs,
  };
}

/** The blob bytes of an embedding (see the module comment), in their own ArrayBuffer. */
export function encodeSam2Embedding(stored: StoredSam2Embedding): Uint8Array {
  assertEmbedding(stored.embedding);
  const header = new TextEncoder().encode(
    JSON.stringify({
      encoderSha256: stored.encoderSha256,
      codeVersion: stored.codeVersion,
      width: stored.width,
      height: stored.height,
      tensors: SAM2_EMBEDDING_TENSORS,
    }),
  );
  const dataOffset = Math.ceil((MAGIC.length + 4 + header.length) / 4) * 4;
  const values = SAM2_EMBEDDING_TENSOR_NAMES.reduce((n, name) => n + stored.embedding[name].length, 0);
  const bytes = new Uint8Array(dataOffset + 4 * values);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(bytes.buffer).setUint32(MAGIC.length, header.length, true);
  bytes.set(header, MAGIC.length + 4);
  let offset = dataOffset;
  for (const name of SAM2_EMBEDDING_TENSOR_NAMES) {
    const tensor = stored.embedding[name];
    bytes.set(new Uint8Array(tensor.buffer, tensor.byteOffset, tensor.byteLength), offset);
    offset += tensor.byteLength;
  }
  return bytes;
}

export class Sam2EmbeddingFormatError extends Error {
  override readonly name = "Sam2EmbeddingFormatError";
}

/** Reads blob bytes back (views into `bytes` when aligned, else one copy). */
export function decodeSam2Embedding(bytes: Uint8Array): StoredSam2Embedding {
  const magic = new TextDecoder().decode(bytes.subarray(0, MAGIC.length));
  if (magic !== MAGIC || bytes.length < MAGIC.length + 4)
    throw new Sam2EmbeddingFormatError("not a SAM 2 embedding blob");
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(MAGIC.length, true);
  let header: Sam2EmbeddingHeader & { tensors: unknown };
  try {
    header = JSON.parse(
      new TextDecoder().decode(bytes.subarray(MAGIC.length + 4, MAGIC.length + 4 + headerLength)),
    ) as Sam2EmbeddingHeader & { tensors: unknown };
  } catch {
    throw new Sam2EmbeddingFormatError("the embedding blob's header is not JSON");
  }
  if (JSON.stringify(header.tensors) !== JSON.stringify(SAM2_EMBEDDING_TENSORS)) {
    throw new Sam2EmbeddingFormatError("the embedding blob holds other tensors than the contract's");
  }
  let dataOffset = Math.ceil((MAGIC.length + 4 + headerLength) / 4) * 4;
  const aligned = (bytes.byteOffset + dataOffset) % 4 === 0 ? bytes : bytes.slice();
  const base = aligned === bytes ? bytes.byteOffset : 0;
  const embedding = {} as Sam2Embedding;
  for (const name of SAM2_EMBEDDING_TENSOR_NAMES) {
    const length = (SAM2_EMBEDDING_TENSORS[name] as readonly number[]).reduce((a, b) => a * b, 1);
    if (dataOffset + 4 * length > bytes.length) throw new Sam2EmbeddingFormatError("the embedding blob is truncated");
    embedding[name] = new Float32Array(aligned.buffer, base + dataOffset, length);
    dataOffset += 4 * length;
  }
  return {
    encoderSha256: header.encoderSha256,
    codeVersion: header.codeVersion,
    width: header.width,
    height: header.height,
    embedding,
  };
}
