import { TRPCError } from "@trpc/server";

/** "OK" when the call succeeds, else its tRPC error code (other errors are rethrown). */
export async function trpcErrorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "OK";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}
