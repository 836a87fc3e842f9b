/** Runs `npm run cli -- <args>` as a child process (tsx, react-server conditions) from the repo root. */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "~/core/analysis/__tests__/reference-fixtures";

const execFileAsync = promisify(execFile);
const tsx = path.join(repoRoot, "node_modules/.bin/tsx");

/** The exit code (-1 when there is none) and the output of the CLI with `args`. */
export async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(tsx, ["--conditions=react-server", "scripts/cli.ts", ...args], {
      cwd: repoRoot,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}
