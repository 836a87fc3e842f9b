/**
 * tRPC setup in three parts (create-t3-app): context, initialisation, procedure builders.
 * Every procedure declares its access in `meta.access`; the access test enumerates the router
 * and fails for any procedure without it.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import type { Session } from "next-auth";
import superjson from "superjson";
import { z, ZodError } from "zod";
import type { Role } from "~/core/roles";
import { idSchema } from "~/core/schemas";
import { requireProjectRole } from "~/server/auth/project-access";
import { guardStream, toTRPCError } from "./guard-stream";
import { db, type Db } from "~/server/db";
import { AppError, type AppErrorCode } from "~/server/errors";

// ---------- 1. context ----------

/** `headers`: the HTTP request's (absent for server-side callers); sign-up throttles by address. */
export type TRPCContext = { db: Db; session: Session | null; headers?: Headers };

export async function createTRPCContext(options: { session: Session | null; headers?: Headers }): Promise<TRPCContext> {
  return { db, session: options.session, headers: options.headers };
}

// ---------- 2. initialisation ----------

export type ProcedureAccess = { kind: "public" } | { kind: "user" } | { kind: "project"; minimum: Role };

export type ProcedureMeta = { access: ProcedureAccess };

const TRPC_CODE: Record<AppErrorCode, TRPCError["code"]> = {
  NOT_FOUND: "NOT_FOUND",
  FORBIDDEN: "FORBIDDEN",
  UNAUTHORIZED: "UNAUTHORIZED",
  BAD_INPUT: "BAD_REQUEST",
  CONFLICT: "CONFLICT",
  TOO_LARGE: "PAYLOAD_TOO_LARGE",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
};

const t = initTRPC
  .context<TRPCContext>()
  .meta<ProcedureMeta>()
  .create({
    transformer: superjson,
    // Live updates are SSE streams; a ping keeps idle ones alive through proxies.
    sse: { ping: { enabled: true, intervalMs: 15_000 } },
    errorFormatter({ shape, error }) {
      return {
        ...shape,
        data: {
          ...shape.data,
          zodError: error.cause instanceof ZodError ? z.flattenError(error.cause) : null,
        },
      };
    },
  });

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

const codeOf = (error: AppError) => TRPC_CODE[error.code];

/**
 * Services throw AppError; the client sees the matching tRPC code and the service's message,
 * from queries and mutations and from inside a subscription's stream alike.
 */
const appErrors = t.middleware(async ({ next, type }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) throw toTRPCError(result.error.cause, codeOf);
  if (result.ok && type === "subscription" && isAsyncIterable(result.data)) {
    return { ...result, data: guardStream(result.data, { codeOf }) };
  }
  return result;
});

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}

// ---------- 3. procedures ----------

export const publicProcedure = t.procedure.use(appErrors).meta({ access: { kind: "public" } });

export const protectedProcedure = t.procedure
  .use(appErrors)
  .meta({ access: { kind: "user" } })
  .use(({ ctx, next }) => {
    const user = ctx.session?.user;
    if (!user?.id) throw new TRPCError({ code: "UNAUTHORIZED", message: "Please sign in" });
    return next({ ctx: { ...ctx, user } });
  });

/**
 * A procedure on one project's data. Its input always carries `projectId`; the caller's role is
 * resolved by the one permission helper before anything else runs (the rest of the input is
 * parsed afterwards), and the services scope every query by `ctx.projectId`.
 */
export function projectProcedure(minimum: Role) {
  return protectedProcedure
    .meta({ access: { kind: "project", minimum } })
    .input(z.object({ projectId: idSchema }))
    .use(async ({ ctx, input, next, type, signal }) => {
      const access = { db: ctx.db, userId: ctx.user.id, projectId: input.projectId, minimum };
      const role = await requireProjectRole(access);
      // What project-scoped services take: spread it (`{ ...input, ...ctx.inProject }`).
      const inProject = { db: ctx.db, projectId: input.projectId, actorId: ctx.user.id };
      // Subscriptions stop on this signal: the client left, or access ended (guard-stream.ts).
      const ended = new AbortController();
      const streamSignal = signal ? AbortSignal.any([signal, ended.signal]) : ended.signal;
      const result = await next({ ctx: { ...ctx, projectId: input.projectId, role, inProject, streamSignal } });
      // A stream outlives the check above: it is checked again while it runs.
      if (result.ok && type === "subscription" && isAsyncIterable(result.data)) {
        const recheck = async () => void (await requireProjectRole(access));
        return { ...result, data: guardStream(result.data, { recheck, codeOf, onEnd: () => ended.abort() }) };
      }
      return result;
    });
}
