import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { TRPC_MAX_BATCH_SIZE, TRPC_MAX_BODY_BYTES } from "~/core/request-limits";
import { appRouter } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import { auth } from "~/server/auth";
import { limitRequestBody } from "~/server/http/limit-request-body";

export const runtime = "nodejs";

async function handler(req: Request) {
  // The body is capped before tRPC reads or parses it, and before anyone is authenticated.
  const limited = limitRequestBody(req, TRPC_MAX_BODY_BYTES);
  if (limited instanceof Response) return limited;
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: limited,
    router: appRouter,
    maxBatchSize: TRPC_MAX_BATCH_SIZE,
    createContext: async () => createTRPCContext({ session: await auth(), headers: req.headers }),
    onError({ path, error }) {
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`tRPC ${path ?? "?"}:`, error);
    },
  });
}

export { handler as GET, handler as POST };
