import { defineConfig } from "vitest/config";

// Two projects: pure unit tests, and integration tests (*.int.test.ts) that each get a fresh
// database on a real embedded PostgreSQL (tests/setup/).
export default defineConfig({
  resolve: {
    tsconfigPaths: true,
    // Tests run server modules in plain Node, where the `server-only` marker would throw; Next.js
    // still refuses it in client bundles, and tests/server-only-guard.test.ts checks components.
    alias: { "server-only": new URL("./node_modules/server-only/empty.js", import.meta.url).pathname },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["src/**/__tests__/**/*.test.ts", "scripts/**/__tests__/**/*.test.ts", "tests/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "node_modules/**"],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["src/**/__tests__/**/*.int.test.ts", "tests/**/*.int.test.ts"],
          globalSetup: ["tests/setup/postgres.global.ts"],
          setupFiles: ["tests/setup/fresh-database.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
