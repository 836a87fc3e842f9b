/**
 * `npm run db -- <prisma args>`: runs the Prisma CLI against the embedded database, starting it
 * when DATABASE_URL is unset. Example: `npm run db -- migrate dev --name add_regions`.
 */
import { spawnSync } from "node:child_process";
import { startEmbeddedPostgres } from "../src/server/database/embedded-postgres";
import { serverEnv } from "../src/server/env";

const args = process.argv.slice(2);
let stop: (() => Promise<void>) | undefined;
if (!serverEnv().DATABASE_URL) {
  const db = await startEmbeddedPostgres({
    dataDir: "data/db",
    port: serverEnv().EMBEDDED_PG_PORT,
  });
  // Set, not read: the Prisma CLI child reads it (prisma.config.ts).
  process.env.DATABASE_URL = db.url;
  stop = db.stop;
}
// The child gets the whole environment, DATABASE_URL included.
const result = spawnSync("node_modules/.bin/prisma", args, { stdio: "inherit", env: process.env });
await stop?.();
process.exit(result.status ?? 1);
