/**
 * Starts one embedded PostgreSQL for the integration tests and builds a migrated template
 * database; each test file then clones it (fresh-database.ts), which takes milliseconds.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../../src/server/database/embedded-postgres";
import { applyMigrations } from "../../src/server/database/migrate";
import { freePort } from "../helpers/free-port";

export const TEMPLATE_DATABASE = "vccc_template";

export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "vccc-test-pg-"));
  const database = await startEmbeddedPostgres({
    dataDir,
    port: await freePort(),
    database: TEMPLATE_DATABASE,
  });
  await applyMigrations(database.url);
  // A template must have no open connections when it is cloned: applyMigrations closed its own.
  const adminUrl = database.url.replace(new RegExp(`/${TEMPLATE_DATABASE}$`), "/postgres");
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`ALTER DATABASE ${TEMPLATE_DATABASE} WITH IS_TEMPLATE true`);
  await admin.end();
  project.provide("postgresAdminUrl", adminUrl);
  project.provide("blobRoot", mkdtempSync(path.join(os.tmpdir(), "vccc-test-blobs-")));

  return async () => {
    await database.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    postgresAdminUrl: string;
    blobRoot: string;
  }
}
