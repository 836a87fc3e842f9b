/**
 * The bounded worker-thread pool (pool.ts) on a test entry: threads started from the source tree
 * through tsx, the queue bound, errors with their reason, crashed threads replaced, buffers moved.
 */
import { afterEach, describe, expect, it } from "vitest";
import { PoolBusyError, WorkerCrashedError, WorkerPool } from "../pool";
import type { TestTasks } from "./test-worker";

const ENTRY = "src/server/workers/__tests__/test-worker.ts";
let pool: WorkerPool<TestTasks> | undefined;

function makePool(options: { threads: number; maxQueue: number }) {
  pool = new WorkerPool<TestTasks>({
    name: "test-pool",
    entry: ENTRY,
    ...options,
    reviveError: (error) =>
      error.name === "ReasonedError" ? Object.assign(new Error(error.message), { reason: error.reason }) : undefined,
  });
  return pool;
}

afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe("WorkerPool", () => {
  it("runs typed tasks in worker threads, at most `threads` at a time", async () => {
    const workers = makePool({ threads: 2, maxQueue: 10 });
    const results = await Promise.all(["a", "b", "c", "d"].map((value) => workers.run("echo", { value })));
    expect(results.map((r) => r.value)).toEqual(["a", "b", "c", "d"]);
    const threads = new Set(results.map((r) => r.threadId));
    expect(threads.size).toBeGreaterThanOrEqual(1);
    expect(threads.size).toBeLessThanOrEqual(2);
    expect([...threads].every((id) => id > 0)).toBe(true); // 0 is the main thread
  });

  it("refuses a task when every thread is busy and the queue is full", async () => {
    const workers = makePool({ threads: 1, maxQueue: 1 });
    const running = workers.run("sleep", { ms: 300 });
    const queued = workers.run("sleep", { ms: 1 });
    await expect(workers.run("sleep", { ms: 1 })).rejects.toBeInstanceOf(PoolBusyError);
    expect(workers.load).toEqual({ running: 1, queued: 1 });
    await expect(Promise.all([running, queued])).resolves.toEqual([{ ms: 300 }, { ms: 1 }]);
    await expect(workers.run("sleep", { ms: 1 })).resolves.toEqual({ ms: 1 });
  });

  it("rejects with the worker's error, its reason kept, and the thread serves the next task", async () => {
    const workers = makePool({ threads: 1, maxQueue: 4 });
    await expect(workers.run("fail", { reason: "the header lies" })).rejects.toMatchObject({
      message: "failed because the header lies",
      reason: "the header lies",
    });
    await expect(workers.run("echo", { value: "still here" })).resolves.toMatchObject({ value: "still here" });
  });

  it("rejects the task of a crashed thread with a clear error and replaces the thread", async () => {
    const workers = makePool({ threads: 1, maxQueue: 4 });
    const first = await workers.run("echo", { value: "before" });
    const crash = workers.run("crash", { code: 7 });
    const after = workers.run("echo", { value: "after" });
    await expect(crash).rejects.toBeInstanceOf(WorkerCrashedError);
    await expect(crash).rejects.toThrow(/worker thread running "crash" crashed \(exit code 7\)/);
    const second = await after;
    expect(second.value).toBe("after");
    expect(second.threadId).not.toBe(first.threadId);
  });

  it("moves transferred buffers instead of copying them, both ways", async () => {
    const workers = makePool({ threads: 1, maxQueue: 4 });
    const bytes = new Uint8Array([1, 2, 3, 250]).buffer;
    const result = await workers.run("sum", { bytes }, { transfer: [bytes] });
    expect(bytes.byteLength).toBe(0); // detached here: it went to the thread
    expect(result.sum).toBe(256);
    expect(new Uint8Array(result.bytes)).toEqual(new Uint8Array([1, 2, 3, 250]));
  });
});
