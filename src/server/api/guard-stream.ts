/**
 * What a subscription's stream needs that a query's single answer does not:
 * - domain errors raised while streaming (an AppError from inside the generator) reach the client
 *   with the same tRPC code a query would give, not as a 500;
 * - access is checked again before every value and at least every `recheckMs` while the stream
 *   is idle, so a member who is removed (or demoted) stops receiving at once and the stream ends
 *   with FORBIDDEN, instead of living on with the role it had when it opened.
 */
import { TRPCError } from "@trpc/server";
import { AppError } from "~/server/errors";

export const STREAM_RECHECK_MS = 1000;

export function toTRPCError(error: unknown, codeOf: (error: AppError) => TRPCError["code"]): unknown {
  if (error instanceof AppError) return new TRPCError({ code: codeOf(error), message: error.message, cause: error });
  return error;
}

export async function* guardStream<T>(
  stream: AsyncIterable<T>,
  options: {
    /** Throws when the caller may no longer receive this stream. */
    recheck?: () => Promise<void>;
    codeOf: (error: AppError) => TRPCError["code"];
    recheckMs?: number;
    /** Tells the producer to stop (aborts the signal it listens to) before it is closed. */
    onEnd?: () => void;
  },
): AsyncGenerator<T> {
  const iterator = stream[Symbol.asyncIterator]();
  const recheckMs = options.recheckMs ?? STREAM_RECHECK_MS;
  const stillAllowed = async () => {
    try {
      await options.recheck?.();
    } catch (error) {
      throw new TRPCError({ code: "FORBIDDEN", message: "Your access to this project has ended", cause: error });
    }
  };
  let finished = false;
  try {
    let pending = iterator.next();
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const tick = new Promise<"tick">((resolve) => {
        timer = setTimeout(() => resolve("tick"), recheckMs);
      });
      const outcome = await Promise.race([pending, tick]).finally(() => clearTimeout(timer));
      if (outcome === "tick") {
        if (options.recheck) await stillAllowed();
        continue;
      }
      if (outcome.done) {
        finished = true;
        return;
      }
      if (options.recheck) await stillAllowed();
      yield outcome.value;
      pending = iterator.next();
    }
  } catch (error) {
    throw toTRPCError(error, options.codeOf);
  } finally {
    // Ends the inner generator (its `finally` runs: unsubscribes, announces leaving) on any exit;
    // the abort first wakes it if it is waiting for its next event.
    options.onEnd?.();
    if (!finished) await iterator.return?.(undefined);
  }
}
