/**
 * A bounded pool of worker threads (node:worker_threads) for CPU- and memory-heavy work that
 * must not run on the web process's event loop: N threads, a FIFO queue of at most `maxQueue`
 * waiting tasks (more is refused at once, so a burst of uploads cannot pile up unbounded memory),
 * typed tasks (a TaskMap names each task with its input and output types), ArrayBuffers moved
 * (transferred) instead of copied, and a thread that dies (a native crash, an out-of-memory
 * abort, process.exit) replaced, its task rejected with a WorkerCrashedError.
 *
 * HOW THE WORKER FILE IS LOADED. The app runs from the source tree under tsx (`npm start`'s
 * scripts, workers, CLI), under vitest, and inside Next.js's server bundle (`next start`), where
 * server code lives in .next/ and `new URL("./x.ts", import.meta.url)` does not point at a
 * TypeScript file at run time. So the worker's entry is always a TypeScript file of the source
 * tree, resolved from the project root (process.cwd(): `npm start`, `next start` started by
 * scripts/start.ts, playwright's `npm start` and the tests all run from the repository root), and
 * started through bootstrap.mjs, a plain ES module beside this file that registers tsx (a runtime
 * dependency, which also resolves the `~/` tsconfig paths) and then imports the entry. The
 * bootstrap is needed because Node 20 does not apply `--import tsx` given in a worker's execArgv
 * to the worker's own entry module. `--conditions=react-server` makes `import "server-only"`
 * resolve to its empty module inside the thread, as it does in the web server.
 */
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker, type ResourceLimits } from "node:worker_threads";
import type { SerializedError, TaskMap, WorkerReply, WorkerRequest } from "./protocol";

export type { TaskMap } from "./protocol";

/** The queue was full: the caller should answer "busy, try again". */
export class PoolBusyError extends Error {
  constructor(readonly poolName: string) {
    super(`${poolName}: all worker threads are busy and the queue is full`);
    this.name = "PoolBusyError";
  }
}

/** The thread running a task died; the task is lost (the thread was replaced). */
export class WorkerCrashedError extends Error {
  constructor(task: string, detail: string) {
    super(`the worker thread running "${task}" crashed (${detail}); the task was not completed`);
    this.name = "WorkerCrashedError";
  }
}

/** The pool was closed before the task ran or finished. */
export class PoolClosedError extends Error {
  constructor(poolName: string) {
    super(`${poolName} is closed`);
    this.name = "PoolClosedError";
  }
}

export type WorkerPoolOptions = {
  /** For messages and thread names. */
  name: string;
  /** The worker's TypeScript entry, relative to the project root (or absolute). */
  entry: string;
  /** @default max(1, min(2, cpus - 1)) */
  threads?: number;
  /** Tasks that may wait for a free thread; one more is refused with PoolBusyError. @default 32 */
  maxQueue?: number;
  /** Turns an error thrown in the worker back into the right class (domain errors with a reason). */
  reviveError?: (error: SerializedError) => Error | undefined;
  /** The project root the entry and the bootstrap are resolved from. @default process.cwd() */
  root?: string;
  /** Passed to each thread, e.g. { maxOldGenerationSizeMb }. */
  resourceLimits?: ResourceLimits;
};

export type RunOptions = {
  /** ArrayBuffers of the input to move to the thread (they become unusable here). */
  transfer?: ArrayBuffer[];
};

type Job = {
  id: number;
  task: string;
  input: unknown;
  transfer: ArrayBuffer[];
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
};

type Slot = { worker: Worker; job: Job | null };

export function defaultThreadCount(): number {
  return Math.max(1, Math.min(2, os.availableParallelism() - 1));
}

export class WorkerPool<T extends TaskMap> {
  readonly name: string;
  readonly threads: number;
  readonly maxQueue: number;
  private readonly entryUrl: string;
  private readonly bootstrap: string;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: WorkerPoolOptions) {
    this.name = options.name;
    this.threads = Math.max(1, Math.floor(options.threads ?? defaultThreadCount()));
    this.maxQueue = Math.max(0, Math.floor(options.maxQueue ?? 32));
    const root = options.root ?? process.cwd();
    this.entryUrl = pathToFileURL(path.resolve(root, options.entry)).href;
    this.bootstrap = path.resolve(root, "src/server/workers/bootstrap.mjs");
  }

  /** Tasks running and waiting now. */
  get load(): { running: number; queued: number } {
    return { running: this.slots.filter((slot) => slot.job !== null).length, queued: this.queue.length };
  }

  /** Runs `task` on a free thread (starting one if fewer than `threads` exist) or queues it. */
  run<K extends keyof T & string>(task: K, input: T[K]["input"], options: RunOptions = {}): Promise<T[K]["output"]> {
    if (this.closed) return Promise.reject(new PoolClosedError(this.name));
    const free = this.slots.find((slot) => slot.job === null);
    const canGrow = this.slots.length < this.threads;
    if (!free && !canGrow && this.queue.length >= this.maxQueue) {
      return Promise.reject(new PoolBusyError(this.name));
    }
    return new Promise<T[K]["output"]>((resolve, reject) => {
      const job: Job = {
        id: this.nextId++,
        task,
        input,
        transfer: options.transfer ?? [],
        resolve: resolve,
        reject,
      };
      this.queue.push(job);
      this.dispatch();
    });
  }

  /** Stops every thread; queued and running tasks are rejected with PoolClosedError. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new PoolClosedError(this.name));
    const slots = this.slots.splice(0);
    for (const slot of slots) {
      slot.job?.reject(new PoolClosedError(this.name));
      slot.job = null;
    }
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private dispatch() {
    while (this.queue.length > 0) {
      let slot = this.slots.find((candidate) => candidate.job === null);
      if (!slot) {
        if (this.slots.length >= this.threads) return;
        slot = this.spawn();
      }
      const job = this.queue.shift()!;
      slot.job = job;
      // A running task keeps the process alive (a CLI awaiting it must not exit under it).
      slot.worker.ref();
      const request: WorkerRequest = { id: job.id, task: job.task, input: job.input };
      try {
        slot.worker.postMessage(request, job.transfer);
      } catch (error) {
        // Input that cannot be cloned: the caller's bug, not the thread's.
        slot.job = null;
        slot.worker.unref();
        job.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }

  private spawn(): Slot {
    const worker = new Worker(this.bootstrap, {
      name: this.name,
      workerData: { entry: this.entryUrl },
      execArgv: ["--conditions=react-server"],
      resourceLimits: this.options.resourceLimits,
    });
    // Idle threads must not keep a CLI or a test process alive; busy ones do (see dispatch).
    worker.unref();
    const slot: Slot = { worker, job: null };
    this.slots.push(slot);
    worker.on("message", (reply: WorkerReply) => this.settle(slot, reply));
    let crash = "";
    worker.on("error", (error) => {
      crash = error instanceof Error ? error.message : String(error);
    });
    worker.on("exit", (code) => this.replace(slot, crash || `exit code ${code}`));
    return slot;
  }

  private settle(slot: Slot, reply: WorkerReply) {
    const job = slot.job;
    if (!job || job.id !== reply.id) return;
    slot.job = null;
    slot.worker.unref();
    if (reply.ok) job.resolve(reply.output);
    else job.reject(this.revive(reply.error));
    this.dispatch();
  }

  /** An error from a thread as its own class again (reviveError), else a plain Error. */
  revive(error: SerializedError): Error {
    const revived = this.options.reviveError?.(error);
    if (revived) return revived;
    const plain = new Error(error.message);
    plain.name = error.name;
    if (error.stack) plain.stack = error.stack;
    return plain;
  }

  /** A thread that exited: its task fails, and the next task gets a fresh thread. */
  private replace(slot: Slot, detail: string) {
    const index = this.slots.indexOf(slot);
    if (index === -1) return; // closed
    this.slots.splice(index, 1);
    const job = slot.job;
    slot.job = null;
    if (job) {
      console.error(`${this.name}: a worker thread died while running "${job.task}": ${detail}`);
      job.reject(new WorkerCrashedError(job.task, detail));
    }
    this.dispatch();
  }
}
