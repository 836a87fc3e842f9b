/**
 * Server configuration, read from the environment once and validated.
 * `npm start` fills DATABASE_URL and AUTH_SECRET itself when they are unset (embedded mode).
 */
import "server-only";
import path from "node:path";
import { z } from "zod";

const schema = z.object({
  DATABASE_URL: z.string().url().optional(),
  AUTH_SECRET: z.string().min(32).optional(),
  /** Where local blobs (images, thumbnails, maps) live. */
  DATA_DIR: z.string().default("data"),
  /** Largest accepted upload, per file (a zip counts as one file). */
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(512 * 1024 * 1024),
  /** Decompression-bomb guard: largest accepted image, in pixels. */
  UPLOAD_MAX_PIXELS: z.coerce
    .number()
    .int()
    .positive()
    .default(20_000 * 20_000),
  AUTH_OIDC_ISSUER: z.string().url().optional(),
  AUTH_OIDC_ID: z.string().optional(),
  AUTH_OIDC_SECRET: z.string().optional(),
  AUTH_OIDC_NAME: z.string().default("Institution sign-in"),
});

export type ServerEnv = z.infer<typeof schema>;

let cached: ServerEnv | undefined;

export function serverEnv(): ServerEnv {
  cached ??= schema.parse(process.env);
  return cached;
}

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error("DATABASE_URL is not set: start the app with `npm start`, which provides one");
  }
  return url;
}

export function dataDir(): string {
  return path.resolve(serverEnv().DATA_DIR);
}
