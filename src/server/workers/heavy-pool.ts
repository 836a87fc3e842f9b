/**
 * THE heavy-work pool of this process (web server, job worker, CLI): image probing and
 * thumbnails of uploads, display renditions, the interactive analysis and object segmentation
 * (objects.compute) run in its threads
 * (heavy-worker.ts), so the event loop only awaits them. Sized by HEAVY_WORK_THREADS, queue
 * bounded by HEAVY_WORK_QUEUE: beyond it a request is refused as busy (AppError
 * TOO_MANY_REQUESTS, HTTP 429) instead of piling up memory.
 */
import "server-only";
import { ImageAnalysisError } from "~/server/analysis/image-analysis-error";
import { ImageDecodeError } from "~/server/codecs/decode-raster";
import { ImageProbeError, type ImageProbeErrorReason } from "~/server/codecs/probe-image";
import { serverEnv } from "~/server/env";
import { AppError } from "~/server/errors";
import type { ByteSource, DecodeLimits, HeavyTasks } from "./heavy-tasks";
import { defaultThreadCount, PoolBusyError, WorkerPool, type RunOptions } from "./pool";
import type { SerializedError } from "./protocol";

/** The worker entry, relative to the project root (pool.ts explains why a source path). */
export const HEAVY_WORKER_ENTRY = "src/server/workers/heavy-worker.ts";

export const BUSY_MESSAGE = "The server is busy; please try again in a moment.";

let pool: WorkerPool<HeavyTasks> | undefined;

/** Domain errors thrown in a thread come back as their own classes, reason included. */
function reviveError(error: SerializedError): Error | undefined {
  switch (error.name) {
    case "ImageProbeError":
      return new ImageProbeError(error.reason as ImageProbeErrorReason, error.message);
    case "ImageDecodeError":
      return new ImageDecodeError(error.message, error.reason as ImageDecodeError["reason"]);
    case "ImageAnalysisError":
      return new ImageAnalysisError(error.message, error.reason as ImageAnalysisError["reason"]);
    default:
      return undefined;
  }
}

export function heavyWorkPool(): WorkerPool<HeavyTasks> {
  if (!pool) {
    const env = serverEnv();
    pool = new WorkerPool<HeavyTasks>({
      name: "heavy-work",
      entry: HEAVY_WORKER_ENTRY,
      threads: env.HEAVY_WORK_THREADS ?? defaultThreadCount(),
      maxQueue: env.HEAVY_WORK_QUEUE,
      reviveError,
    });
  }
  return pool;
}

/** Stops the pool's threads (tests; a later task starts a new pool). */
export async function closeHeavyWorkPool(): Promise<void> {
  const closing = pool;
  pool = undefined;
  await closing?.close();
}

/** Runs a heavy task; a full queue becomes AppError TOO_MANY_REQUESTS ("busy, try again"). */
export async function runHeavyTask<K extends keyof HeavyTasks>(
  task: K,
  input: HeavyTasks[K]["input"],
  options?: RunOptions,
): Promise<HeavyTasks[K]["output"]> {
  try {
    return await heavyWorkPool().run(task, input, options);
  } catch (error) {
    if (error instanceof PoolBusyError) throw new AppError("TOO_MANY_REQUESTS", BUSY_MESSAGE);
    throw error;
  }
}

/** The decode limits of this process's configuration. */
export function decodeLimits(overrides: Partial<DecodeLimits> = {}): DecodeLimits {
  const env = serverEnv();
  return {
    maxBytes: env.UPLOAD_MAX_BYTES,
    maxPixels: env.UPLOAD_MAX_PIXELS,
    maxDecodedBytes: env.DECODE_MAX_BYTES,
    ...overrides,
  };
}

/**
 * Bytes of this process as a task source: a private copy moved to the thread (the caller's
 * Buffer stays usable; the copy costs one memcpy, never a decode).
 */
export function bytesSource(bytes: Uint8Array): { source: ByteSource; transfer: ArrayBuffer[] } {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return { source: { bytes: copy.buffer }, transfer: [copy.buffer] };
}

/**
 * Bytes nobody else holds (just read from a blob) as a task source: their ArrayBuffer is moved
 * to the thread without a copy when they own all of it, and `bytes` must not be used afterwards.
 */
export function movableSource(bytes: Uint8Array): { source: ByteSource; transfer: ArrayBuffer[] } {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  if (!whole || !(bytes.buffer instanceof ArrayBuffer)) return bytesSource(bytes);
  return { source: { bytes: bytes.buffer }, transfer: [bytes.buffer] };
}
