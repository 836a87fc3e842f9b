/**
 * THE way a route handler answers with stored bytes: ETag and If-None-Match (304 before the bytes
 * are found), Content-Type, Content-Length, Cache-Control, Content-Disposition, nosniff, one byte
 * Range where the size is known, and the bytes streamed from the BlobStore.
 */
import "server-only";
import type { Readable } from "node:stream";
import type { BlobStore, ByteRange } from "~/server/storage";
import { sha256OfBlobKey } from "~/server/storage/blob-keys";

/** Stored bytes (streamed) or bytes made for this response (e.g. a rendered overlay). */
export type BlobContent =
  { blobKey: string; contentType: string; size?: number } | { bytes: Uint8Array; contentType: string };

export async function serveBlob(
  request: Request,
  options: {
    blobs: BlobStore;
    /** Quoted entity tag; known without touching the bytes (content addresses make it cheap). */
    etag?: string;
    cacheControl: string;
    /**
     * Finds (or converts, or renders) the bytes. Called only when no 304 answers, so a
     * revalidation costs no conversion and no blob read.
     */
    content: () => Promise<BlobContent>;
    download?: { disposition: "inline" | "attachment"; fileName: string };
    headers?: Record<string, string>;
  },
): Promise<Response> {
  const headers = new Headers({
    ...options.headers,
    "Cache-Control": options.cacheControl,
    "X-Content-Type-Options": "nosniff",
  });
  if (options.etag) {
    headers.set("ETag", options.etag);
    if (matchesIfNoneMatch(request, options.etag)) return new Response(null, { status: 304, headers });
  }
  const content = await options.content();
  headers.set("Content-Type", content.contentType);
  if (options.download) {
    headers.set(
      "Content-Disposition",
      `${options.download.disposition}; filename*=UTF-8''${encodeRfc5987(options.download.fileName)}`,
    );
  }
  if ("bytes" in content) {
    headers.set("Content-Length", String(content.bytes.byteLength));
    return new Response(new Uint8Array(content.bytes), { status: 200, headers });
  }
  // A row pointing at a missing blob is a server fault (500), not a 404 the client could fix.
  if (!(await options.blobs.has(content.blobKey))) throw new Error(`Blob ${content.blobKey} is missing`);
  if (content.size === undefined) {
    return new Response(webStreamFromNode(options.blobs.stream(content.blobKey)), { status: 200, headers });
  }
  // Ranges need the size up front; originals and export files have it (large, worth resuming).
  headers.set("Accept-Ranges", "bytes");
  const range = requestedRange(request, content.size, options.etag);
  if (range === "unsatisfiable") {
    headers.set("Content-Range", `bytes */${content.size}`);
    return new Response(null, { status: 416, headers });
  }
  if (range) {
    headers.set("Content-Range", `bytes ${range.start}-${range.end}/${content.size}`);
    headers.set("Content-Length", String(range.end - range.start + 1));
    return new Response(webStreamFromNode(options.blobs.stream(content.blobKey, range)), {
      status: 206,
      headers,
    });
  }
  headers.set("Content-Length", String(content.size));
  return new Response(webStreamFromNode(options.blobs.stream(content.blobKey)), { status: 200, headers });
}

/**
 * The one byte range a `Range: bytes=a-b | a- | -n` header asks for, or null to send everything:
 * no header, a syntax this does not serve (several ranges), or an If-Range naming other bytes.
 */
function requestedRange(request: Request, size: number, etag: string | undefined): ByteRange | "unsatisfiable" | null {
  const header = request.headers.get("range");
  if (!header) return null;
  const ifRange = request.headers.get("if-range");
  if (ifRange !== null && ifRange !== etag) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === "")) return null;
  if (match[1] === "") {
    const suffix = Number(match[2]);
    if (suffix === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || start > end) return "unsatisfiable";
  return { start, end };
}

/**
 * The ETag of content-addressed bytes: their sha256, so it never goes stale. `variant` names
 * bytes derived from them by a pure function (a colouring, a conversion).
 */
export function contentAddressedEtag(blobKey: string, variant?: string): string {
  const sha256 = sha256OfBlobKey(blobKey);
  return variant ? `"${variant}-${sha256}"` : `"${sha256}"`;
}

/** True when the request's If-None-Match names `etag` (strong or weak form) or is "*". */
export function matchesIfNoneMatch(request: Request, etag: string): boolean {
  const header = request.headers.get("if-none-match");
  if (!header) return false;
  return header
    .split(",")
    .map((tag) => tag.trim().replace(/^W\//, ""))
    .some((tag) => tag === "*" || tag === etag);
}

/** A Node stream (e.g. BlobStore.stream) as a web ReadableStream for a Response body. */
export function webStreamFromNode(readable: Readable): ReadableStream<Uint8Array> {
  const chunks = readable[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(new Uint8Array(next.value.buffer, next.value.byteOffset, next.value.byteLength));
      } catch (error) {
        controller.error(error);
      }
    },
    cancel() {
      readable.destroy();
    },
  });
}

/** encodeURIComponent leaves ' ( ) * alone, which RFC 5987 header values may not contain. */
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
