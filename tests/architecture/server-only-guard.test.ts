/**
 * The browser/server line: no component, and no file a component imports, may reach a module
 * marked `import "server-only"` (db, env, storage, inference, jobs, auth). Next.js would refuse
 * such an import only at build time and only on the client graph; this fails in `npm test`.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isServerOnly, listSourceFiles, serverOnlyChains } from "./import-graph";

const srcRoot = path.resolve(__dirname, "../../src");

/** Components, plus every client module under app/ ("use client"). */
function browserEntryPoints(): string[] {
  const components = listSourceFiles(path.join(srcRoot, "components")).filter((file) => !file.includes("__tests__"));
  const clientModules = listSourceFiles(path.join(srcRoot, "app")).filter((file) =>
    /^\s*["']use client["']/.test(readFileSync(file, "utf8")),
  );
  return [...components, ...clientModules, ...listSourceFiles(path.join(srcRoot, "core"))];
}

describe("the browser/server line", () => {
  it("marks the server's I/O modules server-only", () => {
    for (const file of ["server/db.ts", "server/env.ts", "server/storage/index.ts", "server/auth/index.ts"]) {
      expect(isServerOnly(readFileSync(path.join(srcRoot, file), "utf8")), file).toBe(true);
    }
  });

  it("finds components and client modules to check", () => {
    expect(browserEntryPoints().length).toBeGreaterThan(50);
  });

  it.each(browserEntryPoints().map((file) => [path.relative(srcRoot, file), file]))(
    "%s reaches no server-only module",
    (_name, file) => {
      const chains = serverOnlyChains(file, srcRoot).map((chain) =>
        chain.map((step) => path.relative(srcRoot, step)).join(" -> "),
      );
      expect(chains).toEqual([]);
    },
  );

  it("fails for a component that imports a server-only module, directly or through another file", () => {
    const root = mkdtempSync(path.join(tmpdir(), "server-only-guard-"));
    mkdirSync(path.join(root, "server"));
    mkdirSync(path.join(root, "components"));
    writeFileSync(path.join(root, "server/db.ts"), 'import "server-only";\nexport const db = {};\n');
    writeFileSync(path.join(root, "server/helper.ts"), 'export { db } from "./db";\n');
    writeFileSync(path.join(root, "components/Direct.tsx"), 'import { db } from "~/server/db";\n');
    writeFileSync(path.join(root, "components/Indirect.tsx"), 'import { db } from "../server/helper";\n');
    writeFileSync(path.join(root, "components/Clean.tsx"), 'import { useState } from "react";\n');

    expect(serverOnlyChains(path.join(root, "components/Direct.tsx"), root)).toHaveLength(1);
    const indirect = serverOnlyChains(path.join(root, "components/Indirect.tsx"), root);
    expect(indirect.map((chain) => chain.map((file) => path.relative(root, file)))).toEqual([
      ["components/Indirect.tsx", "server/helper.ts", "server/db.ts"],
    ]);
    expect(serverOnlyChains(path.join(root, "components/Clean.tsx"), root)).toEqual([]);
  });
});
