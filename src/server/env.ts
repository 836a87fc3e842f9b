/**
 * THE configuration of every process (web app, workers, CLI, `npm start`): one zod schema that
 * declares each environment variable the app reads, with its default and meaning. Nothing else in
 * src/server or scripts reads process.env; README.md's "Configuration" table lists exactly these
 * variables (src/server/__tests__/env.test.ts keeps the two equal).
 *
 * Parsing is lazy: nothing is read at import, because `npm start` (scripts/start.ts) fills
 * DATABASE_URL, AUTH_SECRET and DATA_DIR itself before the rest of the app runs. A parse is reused
 * until one of the declared variables changes (start.ts and tests set some at run time).
 * An empty value counts as unset. A bad value throws an error naming the variable.
 */
import "server-only";
import path from "node:path";
import { z } from "zod";

/** process.env, or the environment a caller hands over (a child process's, a test's). */
export type EnvSource = Readonly<Record<string, string | undefined>>;

const flag = z.enum(["0", "1"]);
const port = z.coerce.number().int().min(1).max(65_535);

export const envSchema = z.object({
  // ---------- web app and `npm start` ----------
  DATABASE_URL: z
    .string()
    .url()
    .optional()
    .describe("PostgreSQL server to use; unset: `npm start` runs an embedded one (data in DATA_DIR/db)"),
  AUTH_SECRET: z
    .string()
    .min(32)
    .optional()
    .describe("signs session cookies (32+ characters); unset: `npm start` generates DATA_DIR/auth-secret"),
  PORT: port.default(3000).describe("web server port"),
  DATA_DIR: z
    .string()
    .default("data")
    .describe("local blobs (images, thumbnails, maps), feature cache, embedded database, generated secret"),
  EMBEDDED_PG_PORT: port.default(54329).describe("port of the embedded PostgreSQL (loopback only)"),
  EMBEDDED_PG_PASSWORD: z
    .string()
    .default("visualccc-local")
    .describe("password of the embedded PostgreSQL (loopback-only development server)"),
  SEED_DEMO: flag
    .default("0")
    .describe("`1`: seed the demo project on an empty external database too (always on the embedded one)"),
  WORKERS: z.coerce
    .number()
    .int()
    .min(0)
    .max(64)
    .default(1)
    .describe("job workers `npm start` runs beside the web server (0: none)"),
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(512 * 1024 * 1024)
    .describe("largest accepted upload per file, in bytes (a zip counts as one file)"),
  UPLOAD_MAX_PIXELS: z.coerce
    .number()
    .int()
    .positive()
    .default(20_000 * 20_000)
    .describe("largest accepted image in pixels (decompression-bomb guard)"),
  DECODE_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024 * 1024)
    .describe(
      "largest decoded first page (width x height x channels x bytes per sample) one request may hold in memory; checked from the header before decoding",
    ),
  DISPLAY_MAX_SIDE: z.coerce
    .number()
    .int()
    .min(256)
    .max(65_535)
    .default(8192)
    .describe("longest side of the stored display rendition of an image (bigger images are downscaled once)"),
  HEAVY_WORK_THREADS: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .optional()
    .describe(
      "worker threads per process for image decoding, display conversion and interactive analysis; unset: max(1, min(2, CPU cores - 1))",
    ),
  HEAVY_WORK_QUEUE: z.coerce
    .number()
    .int()
    .min(0)
    .max(10_000)
    .default(32)
    .describe("heavy tasks that may wait for a worker thread; beyond that requests are refused as busy (429)"),
  AUTH_OIDC_ISSUER: z
    .string()
    .url()
    .optional()
    .describe("OpenID Connect issuer URL; with AUTH_OIDC_ID it turns on institution sign-in"),
  AUTH_OIDC_ID: z.string().optional().describe("OpenID Connect client id"),
  AUTH_OIDC_SECRET: z.string().optional().describe("OpenID Connect client secret"),
  AUTH_OIDC_NAME: z.string().default("Institution sign-in").describe("label of the OpenID Connect sign-in button"),

  // ---------- jobs and workers ----------
  WORKER_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(1)
    .describe("jobs one worker process runs at the same time"),
  WORKER_BATCH_SIZE: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(8)
    .describe(
      "image analyses one worker takes from the queue at a time: classified in batches of 4, each recorded on its own",
    ),
  JOB_ITEM_EXPIRE_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(300)
    .describe(
      "seconds one job item may run before it is handed to another worker (a crashed worker is noticed by its heartbeat within about 20 s)",
    ),
  JOB_ITEM_RETRY_LIMIT: z.coerce
    .number()
    .int()
    .min(0)
    .max(20)
    .default(3)
    .describe("retries of an image after a transient error or a dead worker"),
  JOB_MAINTENANCE_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(30)
    .describe("how often a worker looks for expired jobs (pg-boss maintenance)"),
  JOB_POLL_SECONDS: z.coerce.number().min(0.5).max(60).default(2).describe("how often an idle worker polls for work"),
  WORKER_LOG_JOBS: flag.default("0").describe("`1`: log every job as it starts"),

  // ---------- inference ----------
  INFERENCE_PROVIDER: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(["cpu", "cuda"]))
    .default("cpu")
    .describe("ONNX Runtime execution provider, `cpu` or `cuda` (falls back to cpu, logged, without a GPU)"),
  INFERENCE_MODEL: z
    .string()
    .trim()
    .optional()
    .describe("classifier used when a job names none: a name in MODELS_DIR or a .onnx path; unset: the shipped model"),
  MODELS_DIR: z.string().default("models").describe("folder of the built-in .onnx models and their cards"),
  SAM2_MODELS_DIR: z
    .string()
    .optional()
    .describe(
      "folder of the installed SAM 2 models, one `<name>/{encoder.onnx,decoder.onnx,card.json}` each; unset: MODELS_DIR/sam2",
    ),
  VISUAL_CCC_COMMIT: z
    .string()
    .trim()
    .optional()
    .describe("build commit appended to the code version recorded with each analysis"),
});

export type ServerEnv = z.infer<typeof envSchema>;
export type EnvName = keyof typeof envSchema.shape;

/** Every declared variable, in schema order. */
export const envNames = Object.keys(envSchema.shape) as EnvName[];

/** The declared variables of `source`, empty values dropped (an empty value counts as unset). */
function declared(source: EnvSource): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of envNames) {
    const value = source[name];
    if (value !== undefined && value !== "") values[name] = value;
  }
  return values;
}

/** "NAME: problem (meaning)" for each issue; `name` for issues of a single variable's schema. */
function describeIssues(issues: z.ZodError["issues"], name?: EnvName): string {
  return issues
    .map((issue) => {
      const variable = name ?? String(issue.path[0] ?? "?");
      const meaning = envSchema.shape[variable as EnvName]?.description;
      return `${variable}: ${issue.message}${meaning ? ` (${meaning})` : ""}`;
    })
    .join("; ");
}

/** Parses an environment; throws an error naming each bad variable (never echoing its value). */
export function parseEnv(source: EnvSource = process.env): ServerEnv {
  const parsed = envSchema.safeParse(declared(source));
  if (!parsed.success) throw new Error(`invalid configuration: ${describeIssues(parsed.error.issues)}`);
  return parsed.data;
}

/**
 * One variable through its schema, without failing on the others: for code that tolerates a bad
 * value (the inference provider falls back to cpu and says why).
 */
export function parseEnvVar<K extends EnvName>(
  name: K,
  source: EnvSource = process.env,
): { success: true; data: ServerEnv[K] } | { success: false; raw: string; error: string } {
  const raw = declared(source)[name];
  const parsed = envSchema.shape[name].safeParse(raw);
  if (parsed.success) return { success: true, data: parsed.data as ServerEnv[K] };
  return { success: false, raw: raw ?? "", error: describeIssues(parsed.error.issues, name) };
}

let cache: { fingerprint: string; env: ServerEnv } | undefined;

/** This process's configuration (parsed on first use, again only after a declared variable changed). */
export function serverEnv(): ServerEnv {
  const fingerprint = JSON.stringify(envNames.map((name) => process.env[name] ?? null));
  if (cache?.fingerprint !== fingerprint) cache = { fingerprint, env: parseEnv(process.env) };
  return cache.env;
}

export function databaseUrl(): string {
  const url = serverEnv().DATABASE_URL;
  if (!url) {
    throw new Error("DATABASE_URL is not set: start the app with `npm start`, which provides one");
  }
  return url;
}

export function dataDir(): string {
  return path.resolve(serverEnv().DATA_DIR);
}
