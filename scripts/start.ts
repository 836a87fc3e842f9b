/**
 * `npm start`: the whole app with no configuration.
 * - No DATABASE_URL: starts an embedded PostgreSQL with its data in ./data/db.
 * - No AUTH_SECRET: creates one in ./data/auth-secret (kept across restarts).
 * - Applies migrations, seeds the demo project on an empty database, builds the web app when
 *   its sources changed since the last build, then serves it.
 * `npm run dev` does the same with `next dev`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { once } from "node:events";
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

async function ensureBuilt() {
  const stamp = path.join(".next", "visual-ccc-source.sha256");
  const fingerprint = sourceFingerprint();
  if (existsSync(path.join(".next", "BUILD_ID")) && existsSync(stamp) && readFileSync(stamp, "utf8") === fingerprint) {
    return;
  }
  log("building the web app (first start or sources changed; takes a few minutes on 2 cores)…");
  // Not spawnSync: a signal during the build must still stop everything (the build included).
  const build = startChild("the web build", process.execPath, ["node_modules/next/dist/bin/next", "build"]);
  const [code, signal] = (await once(build, "exit")) as [number | null, string | null];
  if (shuttingDown) return;
  if (code !== 0) throw new Error(`next build failed (${signal ?? code})`);
  writeFileSync(stamp, fingerprint);
}

/**
 * Signals and shutdown. `npm start` runs this file as one node process, npm's own child
 * (package.json: `exec node --import tsx …`: the `sh -c` of npm replaces itself with node, and
 * tsx's CLI, which would add a process of its own, is not used), and npm passes SIGTERM/SIGINT on
 * to it. On SIGTERM, SIGINT or SIGHUP: SIGTERM to the web server and the workers, SIGKILL to
 * whatever still runs after CHILD_GRACE_MS, then the database, all within 10 s.
 */
const CHILD_GRACE_MS = 5_500;
const DATABASE_GRACE_MS = 2_000;
const children: ChildProcess[] = [];
let stopDatabase: ((graceMs: number) => Promise<void>) | undefined;
let shuttingDown = false;

/**
 * Given to the node children (web server, workers and their own node children): exit when this
 * process is gone (their parent changed), so even a SIGKILL of this process leaves nothing behind
 * for long. SIGTERM first, so they close as on a normal stop.
 */
const PARENT_WATCH = `--import=data:text/javascript,${encodeURIComponent(
  "const p=process.ppid;const t=setInterval(()=>{if(process.ppid!==p){clearInterval(t);" +
    'process.kill(process.pid,"SIGTERM");setTimeout(()=>process.exit(1),5e3).unref()}},1e3);t.unref();',
)}`;
const childEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  // Raw on purpose: a Node.js option for the children, not app configuration.
  NODE_OPTIONS: [process.env.NODE_OPTIONS, PARENT_WATCH].filter(Boolean).join(" "),
});

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

async function stopChildren() {
  const running = children.filter((child) => child.exitCode === null && child.signalCode === null);
  for (const child of running) child.kill("SIGTERM");
  const all = Promise.all(running.map(exited));
  let timer: NodeJS.Timeout | undefined;
  const late = await Promise.race([
    all.then(() => false),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), CHILD_GRACE_MS))),
  ]);
  clearTimeout(timer);
  if (late) {
    for (const child of running) {
      if (child.exitCode === null && child.signalCode === null) {
        log(`${child.pid} did not stop within ${CHILD_GRACE_MS / 1000} s: killing it`);
        child.kill("SIGKILL");
      }
    }
    await Promise.race([all, new Promise((resolve) => setTimeout(resolve, 1_000))]);
  }
}

async function shutdown(code: number, reason?: string) {
  if (shuttingDown) return;
  shuttingDown = true;
  if (reason) log(`${reason}: stopping`);
  await stopChildren();
  await stopDatabase?.(DATABASE_GRACE_MS).catch((error: unknown) => console.error(error));
  process.exit(code);
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => void shutdown(0, signal));
}

/** A child process, with a failure to start it turned into a clear message and a shutdown. */
function startChild(what: string, command: string, args: string[]): ChildProcess {
  const child = spawn(command, args, { stdio: "inherit", env: childEnv() });
  child.on("error", (error) => {
    console.error(`[visual-ccc] cannot start ${what} (${command}): ${error.message}`);
    void shutdown(1);
  });
  children.push(child);
  return child;
}

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
    const worker = startChild("a job worker", process.execPath, [
      "--conditions=react-server",
      "--import",
      "tsx",
      "scripts/worker.ts",
    ]);
    worker.on("exit", (code, signal) => {
      if (!shuttingDown) log(`worker ${worker.pid} exited (${signal ?? code}); the web app keeps running`);
    });
  }

  if (!dev) await ensureBuilt();
  if (shuttingDown) return;
  // Next.js's CLI run by this node binary directly: one process (`next start` serves in it, as
  // "next-server"), with no shell or `env node` in between that could keep a signal from it.
  const web = startChild("the web server", process.execPath, [
    "node_modules/next/dist/bin/next",
    dev ? "dev" : "start",
    "-p",
    String(port),
  ]);
  web.on("exit", (code, signal) => {
    if (!shuttingDown) log(`the web server exited (${signal ?? code}): stopping`);
    void shutdown(code ?? 1);
  });
  log(`open http://localhost:${port}`);
}

main().catch(async (error: unknown) => {
  console.error(error instanceof Error && error.message.startsWith("embedded PostgreSQL") ? error.message : error);
  await shutdown(1);
});
