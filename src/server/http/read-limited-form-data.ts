import "server-only";
import { AppError } from "~/server/errors";

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
