/**
 * Runs before each integration test file: clones the migrated template into a new database and
 * points DATABASE_URL (and the blob store) at it, before the file imports ~/server/db.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { inject } from "vitest";

const adminUrl = inject("postgresAdminUrl");
const name = `test_${randomBytes(6).toString("hex")}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${name} TEMPLATE vccc_template`);
await admin.end();

process.env.DATABASE_URL = adminUrl.replace(/\/postgres$/, `/${name}`);
process.env.DATA_DIR = path.join(inject("blobRoot"), name);
process.env.AUTH_SECRET ??= randomBytes(32).toString("hex");
