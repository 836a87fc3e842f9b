import { TRPCClientError } from "@trpc/client";

/** A sentence for the user from any thrown value (zod field errors first, then the message). */
export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const data = error.data as { zodError?: { fieldErrors?: Record<string, string[] | undefined> } } | undefined;
    const first = Object.values(data?.zodError?.fieldErrors ?? {}).flat()[0];
    if (first) return first;
  }
  return error instanceof Error ? error.message : "Something went wrong";
}
