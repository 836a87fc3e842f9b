/**
 * THE route-handler wrapper. Every route handler under src/app/api (except next-auth's and
 * tRPC's own) is `projectRoute({...})`, so each one runs the same steps in the same order:
 *
 *   1. state-changing methods: Origin / Sec-Fetch-Site must be this site (403), the body must
 *      have the declared content type (415); both before any other work;
 *   2. params parsed with zod (bad ids: the route's 404);
 *   3. who: a signed-in member (401) whose role in the project (requireProjectRole, THE
 *      permission helper) is at least `minimum`, or anyone holding an active share link;
 *   4. the handler, with db, blobs and the caller in a context object;
 *   5. AppError -> HTTP through the one status table; anything else is a logged 500.
 *
 * The handler carries its declaration (routeDeclarationOf) so tests can enumerate routes.
 */
import "server-only";
import type { z } from "zod";
import type { Role } from "~/core/roles";
import { auth } from "~/server/auth";
import { requireProjectRole } from "~/server/auth/project-access";
import { db, type Db } from "~/server/db";
import { APP_ERROR_HTTP_STATUS, AppError } from "~/server/errors";
import { resolveShareLink, type ActiveShareLink } from "~/server/sharing/resolve-share-link";
import { blobStore, type BlobStore } from "~/server/storage";

/** Who may call: members with at least this role, or holders of a share link (params.token). */
export type RouteAccess = Role | "share-token";
export type RequiredContentType = "application/json" | "multipart/form-data";
export type RouteDeclaration = { minimum: RouteAccess; contentType?: RequiredContentType };

export type SignedInUser = { id: string };

type BaseContext<Params> = { request: Request; params: Params; db: Db; blobs: BlobStore };
export type MemberRouteContext<Params, Target> = BaseContext<Params> & {
  user: SignedInUser;
  projectId: string;
  role: Role;
  /** What resolveTarget found (the image, the analysis map...). */
  target: Target;
};
export type ShareRouteContext<Params> = BaseContext<Params> & { shareLink: ActiveShareLink };

type CommonOptions<Params> = {
  params: z.ZodType<Params>;
  /** The 404 message for ids that do not parse (and, for resolveTarget routes, for denied callers). */
  notFound: string;
  /** Required of the request body; declare it on every state-changing route. */
  contentType?: RequiredContentType;
};

type ShareRouteOptions<Params> = CommonOptions<Params> & {
  minimum: "share-token";
  handler: (context: ShareRouteContext<Params>) => Promise<Response>;
};

type ProjectParamRouteOptions<Params> = CommonOptions<Params> & {
  minimum: Role;
  handler: (context: MemberRouteContext<Params, undefined>) => Promise<Response>;
};

type TargetRouteOptions<Params, Target> = CommonOptions<Params> & {
  minimum: Role;
  /**
   * For routes keyed by another id (image, analysis): finds it and its project, through a
   * service. null, and any denied access to that project, answer the same `notFound`, so ids
   * cannot be probed.
   */
  resolveTarget: (input: { db: Db; params: Params }) => Promise<(Target & { projectId: string }) | null>;
  handler: (context: MemberRouteContext<Params, Target>) => Promise<Response>;
};

/** The shape Next calls; the params' names are checked by the route's zod schema. */
export type RouteHandler = ((
  request: Request,
  context: { params: Promise<Record<string, string | string[]>> },
) => Promise<Response>) & { readonly [ROUTE_DECLARATION]: RouteDeclaration };

const ROUTE_DECLARATION = Symbol.for("visual-ccc.route-declaration");

/** The declaration of a handler made by projectRoute; undefined for anything else. */
export function routeDeclarationOf(handler: unknown): RouteDeclaration | undefined {
  if (typeof handler !== "function") return undefined;
  return (handler as Partial<Record<typeof ROUTE_DECLARATION, RouteDeclaration>>)[ROUTE_DECLARATION];
}

export function projectRoute<Params extends { token: string }>(options: ShareRouteOptions<Params>): RouteHandler;
export function projectRoute<Params, Target>(options: TargetRouteOptions<Params, Target>): RouteHandler;
export function projectRoute<Params extends { projectId: string }>(
  options: ProjectParamRouteOptions<Params>,
): RouteHandler;
export function projectRoute(
  options:
    | ShareRouteOptions<{ token: string }>
    | TargetRouteOptions<unknown, unknown>
    | ProjectParamRouteOptions<{ projectId: string }>,
): RouteHandler {
  const handle = async (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => {
    try {
      if (STATE_CHANGING_METHODS.has(request.method)) {
        if (!isSameOriginRequest(request)) {
          throw new AppError("FORBIDDEN", "Cross-site requests are not accepted.");
        }
        if (options.contentType && mediaTypeOf(request) !== options.contentType) {
          return Response.json(
            { error: `Send the body as ${options.contentType}.`, code: "UNSUPPORTED_MEDIA_TYPE" },
            { status: 415 },
          );
        }
      }
      const parsed = options.params.safeParse(await context.params);
      if (!parsed.success) throw new AppError("NOT_FOUND", options.notFound);
      const base = { request, db, blobs: blobStore() };

      if (options.minimum === "share-token") {
        const params = parsed.data as { token: string };
        const shareLink = await resolveShareLink({ db, token: params.token });
        return await (options as ShareRouteOptions<{ token: string }>).handler({
          ...base,
          params,
          shareLink,
        });
      }

      const user = await requireSignedInUser();
      if ("resolveTarget" in options) {
        const target = await options.resolveTarget({ db, params: parsed.data });
        if (!target) throw new AppError("NOT_FOUND", options.notFound);
        let role: Role;
        try {
          role = await requireProjectRole({
            db,
            userId: user.id,
            projectId: target.projectId,
            minimum: options.minimum,
          });
        } catch (error) {
          if (error instanceof AppError) throw new AppError("NOT_FOUND", options.notFound);
          throw error;
        }
        return await options.handler({
          ...base,
          params: parsed.data,
          user,
          projectId: target.projectId,
          role,
          target,
        });
      }

      const params = parsed.data as { projectId: string };
      const role = await requireProjectRole({
        db,
        userId: user.id,
        projectId: params.projectId,
        minimum: options.minimum,
      });
      return await (options as ProjectParamRouteOptions<{ projectId: string }>).handler({
        ...base,
        params,
        user,
        projectId: params.projectId,
        role,
        target: undefined,
      });
    } catch (error) {
      return appErrorResponse(error);
    }
  };
  const declaration: RouteDeclaration = { minimum: options.minimum, contentType: options.contentType };
  return Object.assign(handle, { [ROUTE_DECLARATION]: declaration });
}

const STATE_CHANGING_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Cross-site request forgery guard for cookie-authenticated writes. Browsers send Origin on every
 * cross-origin request and on every POST; where it is missing, Sec-Fetch-Site tells. A request
 * with neither did not come from a browser (a script, curl), which sends no victim's cookies.
 */
function isSameOriginRequest(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (origin !== null) return isOwnOrigin(request, origin);
  const fetchSite = request.headers.get("sec-fetch-site");
  return fetchSite === null || fetchSite === "same-origin" || fetchSite === "none";
}

/** Behind a proxy request.url may name the internal address, so the Host the browser used counts too. */
function isOwnOrigin(request: Request, origin: string): boolean {
  if (origin === new URL(request.url).origin) return true;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (!host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false; // "null" (sandboxed frames, some redirects) and garbage are foreign
  }
}

function mediaTypeOf(request: Request): string {
  return (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
}

/** The session's user, or AppError UNAUTHORIZED (-> 401 JSON through appErrorResponse). */
async function requireSignedInUser(): Promise<SignedInUser> {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) throw new AppError("UNAUTHORIZED", "Sign in to continue.");
  return { id };
}

/** JSON `{ error, code }` with the status for the code; anything else is a logged 500. */
function appErrorResponse(error: unknown): Response {
  if (error instanceof AppError) {
    return Response.json({ error: error.message, code: error.code }, { status: APP_ERROR_HTTP_STATUS[error.code] });
  }
  console.error("Route handler failed", error);
  return Response.json({ error: "Internal server error" }, { status: 500 });
}
