/** Worker processes for tests that kill or crash them (scripts/worker.ts in a process of its own). */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export type SpawnedWorker = {
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output: () => string;
  /** Resolves once it says "taking jobs"; rejects if it exits first. */
  ready: Promise<void>;
  onOutput: (listener: (text: string) => void) => void;
};

/**
 * Starts a worker with `env` over this process's environment (an undefined value removes a
 * variable) and adds it to `started`, for the caller's cleanup. `node --import tsx`, not the tsx
 * CLI: the CLI runs the script in a child process, which a SIGKILL of the CLI would not reach.
 */
export function spawnWorker(
  name: string,
  env: Record<string, string | undefined>,
  started: ChildProcess[],
): SpawnedWorker {
  let output = "";
  const listeners: ((text: string) => void)[] = [];
  const child = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", path.join(repoRoot, "scripts/worker.ts")],
    { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  started.push(child);
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      for (const listener of listeners) listener(chunk.toString());
      if (output.includes("taking jobs")) resolve();
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`worker ${name} exited (${code}) before it was ready:\n${output}`)));
  });
  return { child, output: () => output, ready, onOutput: (listener) => void listeners.push(listener) };
}

/** Sends SIGTERM to every worker in `started` that is still running and waits until all have exited. */
export async function stopWorkers(started: ChildProcess[]): Promise<void> {
  const running = started.filter((child) => child.exitCode === null && child.signalCode === null);
  const exited = running.map((child) => new Promise((resolve) => child.on("exit", resolve)));
  for (const child of running) child.kill("SIGTERM");
  await Promise.all(exited);
}
