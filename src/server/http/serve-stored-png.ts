/**
 * A content-addressed PNG blob (analysis maps, object-set label maps) for project members: the
 * ETag is the blob's sha256 and the bytes never change.
 */
import "server-only";
import type { BlobStore } from "~/server/storage";
import { contentAddressedEtag, serveBlob } from "./serve-blob";

/** Immutable content, but private: revalidation after a day re-runs the membership check. */
const CACHE_CONTROL = "private, max-age=86400";

export function serveStoredPng(request: Request, blobs: BlobStore, blobKey: string): Promise<Response> {
  return serveBlob(request, {
    blobs,
    etag: contentAddressedEtag(blobKey),
    cacheControl: CACHE_CONTROL,
    content: async () => ({ blobKey, contentType: "image/png" }),
  });
}
