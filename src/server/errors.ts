/**
 * Services throw AppError with a domain-neutral code; the API layer maps codes to tRPC/HTTP
 * errors from one table (APP_ERROR_HTTP_STATUS and trpc.ts).
 */
export const AppErrorCode = {
  NOT_FOUND: "NOT_FOUND",
  FORBIDDEN: "FORBIDDEN",
  UNAUTHORIZED: "UNAUTHORIZED",
  BAD_INPUT: "BAD_INPUT",
  CONFLICT: "CONFLICT",
  TOO_LARGE: "TOO_LARGE",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
} as const;
export type AppErrorCode = (typeof AppErrorCode)[keyof typeof AppErrorCode];

export const APP_ERROR_HTTP_STATUS: Record<AppErrorCode, number> = {
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  UNAUTHORIZED: 401,
  BAD_INPUT: 400,
  CONFLICT: 409,
  TOO_LARGE: 413,
  TOO_MANY_REQUESTS: 429,
};

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "AppError";
  }
}

/** Postgres unique violations through the Prisma pg adapter (P2002). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === "P2002";
}
