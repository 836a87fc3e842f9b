/**
 * The one storage interface for bytes (uploads, thumbnails, analysis maps, model heads).
 * Keys are content addresses (blob-keys.ts), so the same bytes are stored once.
 */
import "server-only";
import type { Readable } from "node:stream";

export type StoredBlob = { key: string; sha256: string; size: number };
export type ByteRange = { start: number; end: number };

export interface BlobStore {
  /** Stores the bytes unless identical bytes are already there. */
  put(bytes: Uint8Array): Promise<StoredBlob>;
  get(key: string): Promise<Buffer>;
  /** The bytes, or only those from `range.start` to `range.end` (inclusive, as HTTP Range counts). */
  stream(key: string, range?: ByteRange): Readable;
  has(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
}

export class BlobNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`Blob ${key} not found`);
  }
}
