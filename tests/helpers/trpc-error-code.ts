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

/** The tRPC error a call is refused with, code and message (a success or other error fails). */
export async function trpcRefusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected a refusal");
}
