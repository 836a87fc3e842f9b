import { defineConfig } from "@playwright/test";
import { cpSync } from "node:fs";
import path from "node:path";

const port = Number(process.env.E2E_PORT ?? 3100);
const dataDir = "data/e2e";

// The SAM 2 probe pair (tests/fixtures/sam2/probe, the real contract with known masks) is the one
// model installed on the e2e server, in a models folder of its own inside the e2e data folder.
const sam2ModelsDir = path.join(dataDir, "sam2-models");
cpSync("tests/fixtures/sam2/probe", path.join(sam2ModelsDir, "sam2-probe"), { recursive: true });

// Debian's chromium (apt-get install chromium); Playwright's own browser download cannot run here.
export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results/e2e",
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
      ],
    },
  },
  webServer: {
    // The README's own start command, on its own data folder and ports.
    command: "npm start",
    url: `http://127.0.0.1:${port}/sign-in`,
    timeout: 15 * 60_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      PORT: String(port),
      DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: "54339",
      SAM2_MODELS_DIR: sam2ModelsDir,
    },
  },
});
