/**
 * The one storage interface for bytes (uploads, thumbnails, analysis maps, model heads).
 * Keys are content addresses ("sha256/<hex>"), so the same bytes are stored once.
 */
import "server-only";
import type { Readable } from "node:stream";

export type StoredBlob = { key: string; sha256: string; size: number };

export interface BlobStore {
  /** Stores the bytes unless identical bytes are already there. */
  put(bytes: Uint8Array): Promise<StoredBlob>;
  get(key: string): Promise<Buffer>;
  stream(key: string): Readable;
  has(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
}

export class BlobNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`Blob ${key} not found`);
  }
}

const KEY_PATTERN = /^sha256\/[0-9a-f]{64}$/;

export function isBlobKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}
