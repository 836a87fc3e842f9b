import { defineConfig } from "prisma/config";
import { createMigrationAdapter } from "./prisma/migration-adapter";

// `prisma generate` resolves the datasource url but never connects: a placeholder lets it run
// on a fresh clone (postinstall) before any database exists.
process.env.DATABASE_URL ??= "postgresql://unset:unset@127.0.0.1:1/unset";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  async adapter() {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: run through `npm run db -- <command>`");
    return createMigrationAdapter(url);
  },
});
