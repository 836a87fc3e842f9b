/**
 * Entry point of the app container: apply migrations, seed the demo project when asked
 * (SEED_DEMO=1), then serve the web app built into the image. scripts/start.ts does the same for
 * `npm start` but also starts an embedded database, workers and a rebuild check, which a
 * container does not want (workers are their own containers).
 */
import { spawn } from "node:child_process";
import { applyMigrations } from "../src/server/database/migrate";
import { serverEnv } from "../src/server/env";

async function main() {
  const env = serverEnv(); // src/server/env.ts: a bad value stops the container here
  const url = env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is required in the container");
  const applied = await applyMigrations(url);
  if (applied.length > 0) console.log(`[visual-ccc] applied migrations: ${applied.join(", ")}`);
  if (env.SEED_DEMO === "1") {
    const { db } = await import("../src/server/db");
    const { seedDemo } = await import("../src/server/demo/seed-demo");
    if (await seedDemo(db)) console.log("[visual-ccc] created the demo project");
    await db.$disconnect();
  }
  const web = spawn("node_modules/.bin/next", ["start", "-p", String(env.PORT)], {
    stdio: "inherit",
  });
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => web.kill(signal));
  web.on("exit", (code) => process.exit(code ?? 1));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
