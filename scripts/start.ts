/**
 * `npm start`: the whole app with no configuration.
 * - No DATABASE_URL: starts an embedded PostgreSQL with its data in ./data/db.
 * - No AUTH_SECRET: creates one in ./data/auth-secret (kept across restarts).
 * - Applies migrations, seeds the demo project on an empty database, builds the web app when
 *   its sources changed since the last build, then serves it.
 * `npm run dev` does the same with `next dev`.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { databaseUrl, serverEnv } from "../src/server/env";

const dev = process.argv.includes("--dev");
// No network here and no reason to phone home from a lab server. Raw on purpose (not in the
// schema): a variable of Next.js itself, set for the `next` child processes.
process.env.NEXT_TELEMETRY_DISABLED ??= "1";
// The configuration (src/server/env.ts); a bad value stops here, before anything starts.
const port = serverEnv().PORT;
const dataDirectory = path.resolve(serverEnv().DATA_DIR);
mkdirSync(dataDirectory, { recursive: true });

function log(message: string) {
  console.log(`[visual-ccc] ${message}`);
}

function persistentSecret(): string {
  const file = path.join(dataDirectory, "auth-secret");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

/** Changes when anything that goes into the web build changes. */
function sourceFingerprint(): string {
  const hash = createHash("sha256");
  const visit = (entry: string) => {
    const stats = statSync(entry);
    if (stats.isDirectory()) {
      for (const child of readdirSync(entry).sort()) visit(path.join(entry, child));
    } else {
      hash.update(`${entry}:${stats.size}:${stats.mtimeMs}\n`);
    }
  };
  for (const entry of ["src", "package-lock.json", "next.config.mjs", "tsconfig.json"]) {
    if (existsSync(entry)) visit(entry);
  }
  return hash.digest("hex");
}

function ensureBuilt() {
  const stamp = path.join(".next", "visual-ccc-source.sha256");
  const fingerprint = sourceFingerprint();
  if (
    existsSync(path.join(".next", "BUILD_ID")) &&
    existsSync(stamp) &&
    readFileSync(stamp, "utf8") === fingerprint
  ) {
    return;
  }
  log("building the web app (first start or sources changed; takes a few minutes on 2 cores)…");
  // Children get the whole environment as this process has completed it.
  const build = spawnSync("node_modules/.bin/next", ["build"], { stdio: "inherit", env: process.env });
  if (build.status !== 0) throw new Error("next build failed");
  writeFileSync(stamp, fingerprint);
}

const children: ChildProcess[] = [];
let stopDatabase: (() => Promise<void>) | undefined;

async function shutdown(code: number) {
  for (const child of children) child.kill("SIGTERM");
  await stopDatabase?.().catch(() => {});
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

async function main() {
  const embedded = !serverEnv().DATABASE_URL;
  if (embedded) {
    const { startEmbeddedPostgres } = await import("../src/server/database/embedded-postgres");
    const database = await startEmbeddedPostgres({
      dataDir: path.join(dataDirectory, "db"),
      port: serverEnv().EMBEDDED_PG_PORT,
    });
    // Writes, not reads: the values this process and its children (next, workers) then read.
    process.env.DATABASE_URL = database.url;
    stopDatabase = database.stop;
    log(`embedded PostgreSQL running (data in ${path.join(dataDirectory, "db")})`);
  }
  if (!serverEnv().AUTH_SECRET) process.env.AUTH_SECRET = persistentSecret();
  process.env.DATA_DIR = dataDirectory;

  const { applyMigrations } = await import("../src/server/database/migrate");
  const applied = await applyMigrations(databaseUrl());
  if (applied.length > 0) log(`applied migrations: ${applied.join(", ")}`);

  if (embedded || serverEnv().SEED_DEMO === "1") {
    const { db } = await import("../src/server/db");
    const { seedDemo, DEMO_EMAIL, DEMO_PASSWORD } = await import("../src/server/demo/seed-demo");
    if (await seedDemo(db)) log("created the demo project");
    log(`demo sign-in: ${DEMO_EMAIL} / ${DEMO_PASSWORD}`);
    await db.$disconnect();
  }

  // Job workers (scripts/worker.ts) next to the web app; WORKERS=0 runs none, WORKERS=n runs n.
  // `node --import tsx` keeps each worker one process, so signals reach it directly.
  const workerCount = serverEnv().WORKERS;
  for (let i = 0; i < workerCount; i++) {
    const worker = spawn(
      process.execPath,
      ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts"],
      {
        stdio: "inherit",
        env: process.env,
      },
    );
    children.push(worker);
    worker.on("exit", (code, signal) =>
      log(`worker ${worker.pid} exited (${signal ?? code}); the web app keeps running`),
    );
  }

  if (!dev) ensureBuilt();
  const web = spawn("node_modules/.bin/next", [dev ? "dev" : "start", "-p", String(port)], {
    stdio: "inherit",
    env: process.env,
  });
  children.push(web);
  web.on("exit", (code) => void shutdown(code ?? 1));
  log(`open http://localhost:${port}`);
}

main().catch(async (error: unknown) => {
  console.error(error);
  await shutdown(1);
});
