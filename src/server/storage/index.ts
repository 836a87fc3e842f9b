import "server-only";
import path from "node:path";
import { dataDir } from "~/server/env";
import type { BlobStore } from "./blob-store";
import { LocalBlobStore } from "./local-blob-store";

export type { BlobStore, ByteRange, StoredBlob } from "./blob-store";
export { BlobNotFoundError } from "./blob-store";

let store: BlobStore | undefined;

/** The process's blob store (local disk under DATA_DIR/blobs; S3 can implement the same interface). */
export function blobStore(): BlobStore {
  store ??= new LocalBlobStore(path.join(dataDir(), "blobs"));
  return store;
}
