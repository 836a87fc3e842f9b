/** Limits that the browser client and the server must agree on. */

/** Most procedure calls in one batched tRPC request; the client's batch link splits above it. */
export const TRPC_MAX_BATCH_SIZE = 16;

/**
 * Largest tRPC request body. The biggest legitimate input is a drawn region (brush strokes or a
 * mask's runs), far below this; anything larger is refused before it is read or parsed.
 */
export const TRPC_MAX_BODY_BYTES = 8 * 1024 * 1024;
