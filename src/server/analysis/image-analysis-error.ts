/**
 * An image that cannot be analysed however often we try (corrupt file, missing blob, deleted
 * image, unusable dimensions, a chosen model version that cannot run: deleted, or its network
 * file changed). Jobs record it as the item's failure instead of retrying; any
 * other error is treated as transient and retried.
 */
export class ImageAnalysisError extends Error {
  override readonly name = "ImageAnalysisError";
  constructor(
    message: string,
    readonly reason: "not-found" | "missing-file" | "unreadable" | "too-large" | "bad-dimensions" | "model-unavailable",
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
