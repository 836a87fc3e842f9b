/**
 * The embeddings a heavy-work thread holds (embedding-lru.ts), shared by the SAM 2 tasks of that
 * thread: an embedding computed or received once is reused by every later click and generation on
 * the same image in the same thread. Keyed by what the embedding depends on: the preprocessing
 * version, the encoder's bytes and the image's bytes.
 */
import "server-only";

import { EmbeddingLru, type CachedEmbedding } from "./embedding-lru";
import { decodeSam2Embedding, type StoredSam2Embedding } from "./sam2-embedding";
import { SAM2_EMBEDDING_CODE_VERSION } from "./sam2-preprocess";

const lru = new EmbeddingLru();

/** The key of one image's embedding by one encoder. */
export function sam2EmbeddingKey(encoderSha256: string, imageSha256: string): string {
  return `${SAM2_EMBEDDING_CODE_VERSION}:${encoderSha256}:${imageSha256}`;
}

/** This thread's embedding for `key`, if it holds one. */
export function cachedEmbedding(key: string): CachedEmbedding | undefined {
  return lru.get(key);
}

/** Keeps an embedding (its decoded form, or its blob bytes) in this thread. */
export function rememberEmbedding(key: string, embedding: StoredSam2Embedding | ArrayBuffer): CachedEmbedding {
  const stored = embedding instanceof ArrayBuffer ? decodeSam2Embedding(new Uint8Array(embedding)) : embedding;
  return lru.put(key, stored);
}
