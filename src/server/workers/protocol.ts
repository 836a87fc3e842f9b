/**
 * The messages between a WorkerPool (pool.ts) and its threads (serve-tasks.ts). Internal, so no
 * runtime validation: both ends are this code base, and the types below are the contract.
 */

/** Names each task of a pool with its input and output (structured-clonable values). */
export type TaskMap = Record<string, { input: unknown; output: unknown }>;

export type WorkerRequest = { id: number; task: string; input: unknown };

/** An error crossing the thread boundary: its class name, message and domain `reason`, if any. */
export type SerializedError = { name: string; message: string; reason?: string; stack?: string };

export type WorkerReply = { id: number; ok: true; output: unknown } | { id: number; ok: false; error: SerializedError };

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const reason = (error as { reason?: unknown }).reason;
    return {
      name: error.name,
      message: error.message,
      ...(typeof reason === "string" ? { reason } : {}),
      ...(error.stack ? { stack: error.stack } : {}),
    };
  }
  return { name: "Error", message: String(error) };
}
