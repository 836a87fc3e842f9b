/**
 * What every byte-serving route handler needs: the signed-in user (or a 401), AppError -> HTTP
 * response through the one status table, a size-limited multipart body, and Node streams as
 * web streams. Route handlers stay: parse -> auth -> permission -> one service call -> response.
 */
import type { Readable } from "node:stream";
import { auth } from "~/server/auth";
import { APP_ERROR_HTTP_STATUS, AppError } from "~/server/errors";

export type SignedInUser = { id: string };

/** The session's user, or AppError UNAUTHORIZED (-> 401 JSON through appErrorResponse). */
export async function requireSignedInUser(): Promise<SignedInUser> {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) throw new AppError("UNAUTHORIZED", "Sign in to continue.");
  return { id };
}

/** JSON `{ error, code }` with the status for the code; anything else is a logged 500. */
export function appErrorResponse(error: unknown): Response {
  if (error instanceof AppError) {
    return Response.json(
      { error: error.message, code: error.code },
      { status: APP_ERROR_HTTP_STATUS[error.code] },
    );
  }
  console.error("Route handler failed", error);
  return Response.json({ error: "Internal server error" }, { status: 500 });
}

/**
 * Parses a multipart/form-data body, refusing it (AppError TOO_LARGE) as soon as more than
 * `maxBytes` arrive. Content-Length is checked by the caller for an early answer; this guard
 * also holds for chunked bodies and bodies that lie about their length.
 */
export async function readLimitedFormData(
  request: Request,
  options: { maxBytes: number; tooLargeMessage: string },
): Promise<FormData> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!contentType.toLowerCase().startsWith("multipart/form-data") || !request.body) {
    throw new AppError("BAD_INPUT", "Send the files as multipart/form-data.");
  }
  let received = 0;
  let exceeded = false;
  const limited = request.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        received += chunk.byteLength;
        if (received > options.maxBytes) {
          exceeded = true;
          controller.error(new Error("Request body exceeds the limit"));
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
  try {
    return await new Response(limited, { headers: { "content-type": contentType } }).formData();
  } catch {
    if (exceeded) throw new AppError("TOO_LARGE", options.tooLargeMessage);
    throw new AppError("BAD_INPUT", "The upload could not be read as multipart/form-data.");
  }
}

/** A Node stream (e.g. BlobStore.stream) as a web ReadableStream for a Response body. */
export function webStreamFromNode(readable: Readable): ReadableStream<Uint8Array> {
  const chunks = readable[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else
          controller.enqueue(new Uint8Array(next.value.buffer, next.value.byteOffset, next.value.byteLength));
      } catch (error) {
        controller.error(error);
      }
    },
    cancel() {
      readable.destroy();
    },
  });
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
