/** A worker entry for the pool's own tests: tasks that echo, wait, fail, crash and move buffers. */
import { serveTasks } from "../serve-tasks";

export type TestTasks = {
  echo: { input: { value: string }; output: { value: string; threadId: number } };
  sleep: { input: { ms: number }; output: { ms: number } };
  fail: { input: { reason: string }; output: never };
  crash: { input: { code: number }; output: never };
  sum: { input: { bytes: ArrayBuffer }; output: { sum: number; bytes: ArrayBuffer } };
};

class ReasonedError extends Error {
  override readonly name = "ReasonedError";
  constructor(readonly reason: string) {
    super(`failed because ${reason}`);
  }
}

const { threadId } = await import("node:worker_threads");

serveTasks<TestTasks>({
  echo: async ({ value }) => ({ output: { value, threadId } }),
  sleep: async ({ ms }) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return { output: { ms } };
  },
  fail: async ({ reason }) => {
    throw new ReasonedError(reason);
  },
  crash: async ({ code }) => process.exit(code),
  sum: async ({ bytes }) => {
    const view = new Uint8Array(bytes);
    let sum = 0;
    for (const byte of view) sum += byte;
    return { output: { sum, bytes }, transfer: [bytes] };
  },
});
