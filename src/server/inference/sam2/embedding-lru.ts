/**
 * The embeddings a decoding thread keeps in memory, most recently used first, so that a click on
 * an image whose embedding this thread already holds costs no blob read and no 16 MB transfer.
 * Bounded by count (one embedding is ~16.8 MB of float32, plus its ort.Tensor wrappers, which
 * share the arrays).
 */
import "server-only";
import type * as ort from "onnxruntime-node";

import { embeddingTensors, type Sam2EmbeddingTensorName } from "./sam2-contract";
import type { StoredSam2Embedding } from "./sam2-embedding";

/** Embeddings kept per thread: a user flipping between a few images never waits for a reload. */
export const EMBEDDINGS_PER_THREAD = 6;

export type CachedEmbedding = {
  stored: StoredSam2Embedding;
  tensors: Record<Sam2EmbeddingTensorName, ort.Tensor>;
};

export class EmbeddingLru {
  private readonly entries = new Map<string, CachedEmbedding>();

  constructor(readonly capacity: number = EMBEDDINGS_PER_THREAD) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be >= 1, got ${capacity}`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The entry for `key`, now the most recently used; undefined when absent. */
  get(key: string): CachedEmbedding | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  /** Keeps `stored` under `key` (evicting the least recently used beyond capacity). */
  put(key: string, stored: StoredSam2Embedding): CachedEmbedding {
    const entry = { stored, tensors: embeddingTensors(stored.embedding) };
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }
}
