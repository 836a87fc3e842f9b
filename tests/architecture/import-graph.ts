/**
 * A small static import graph of the source tree, for architecture tests: which files a file
 * reaches through `~/` and relative imports. `import type` statements are left out: they are
 * erased before bundling (the tRPC client names the router's type this way, as intended).
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const IMPORT_PATTERN =
  /(?:^|\n)\s*(?:import|export)(\s+type)?\s+(?:[^"';]*?\s+from\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
const EXTENSIONS = [".ts", ".tsx", "/index.ts", "/index.tsx"];

export function listSourceFiles(root: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(root)) {
    const full = path.join(root, entry);
    if (statSync(full).isDirectory()) {
      if (entry !== "node_modules" && entry !== "generated") files.push(...listSourceFiles(full));
    } else if (/\.tsx?$/.test(entry)) {
      files.push(full);
    }
  }
  return files;
}

export function importSpecifiers(source: string): string[] {
  return [...source.matchAll(IMPORT_PATTERN)]
    .filter((match) => match[1] === undefined)
    .map((match) => match[2] ?? match[3]!);
}

/** The file a specifier names, or null for packages and files outside the tree. */
export function resolveImport(specifier: string, fromFile: string, srcRoot: string): string | null {
  let base: string;
  if (specifier.startsWith("~/")) base = path.join(srcRoot, specifier.slice(2));
  else if (specifier.startsWith(".")) base = path.resolve(path.dirname(fromFile), specifier);
  else return null;
  if (/\.tsx?$/.test(base) && existsSync(base)) return base;
  for (const extension of EXTENSIONS) if (existsSync(base + extension)) return base + extension;
  return null;
}

export function isServerOnly(source: string): boolean {
  return /^import\s+["']server-only["'];?\s*$/m.test(source);
}

/**
 * Every chain from `entry` to a file that imports "server-only", as the list of files along it
 * (the first chain found per server-only file).
 */
export function serverOnlyChains(entry: string, srcRoot: string): string[][] {
  const chains: string[][] = [];
  const seen = new Set<string>([entry]);
  const queue: string[][] = [[entry]];
  while (queue.length > 0) {
    const chain = queue.shift()!;
    const file = chain[chain.length - 1]!;
    const source = readFileSync(file, "utf8");
    if (chain.length > 1 && isServerOnly(source)) {
      chains.push(chain);
      continue;
    }
    for (const specifier of importSpecifiers(source)) {
      const target = resolveImport(specifier, file, srcRoot);
      if (target && !seen.has(target)) {
        seen.add(target);
        queue.push([...chain, target]);
      }
    }
  }
  return chains;
}
