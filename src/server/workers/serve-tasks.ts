/**
 * The worker-thread side of a WorkerPool: answers each request with its handler's result, moving
 * the ArrayBuffers the handler names instead of copying them. A handler's error goes back to the
 * caller (name, message, reason); the thread stays up for the next task.
 */
import { parentPort } from "node:worker_threads";
import { serializeError, type TaskMap, type WorkerReply, type WorkerRequest } from "./protocol";

/** What a handler returns: the output, and the buffers in it to transfer. */
export type TaskResult<O> = { output: O; transfer?: ArrayBuffer[] };

export type TaskHandlers<T extends TaskMap> = {
  [K in keyof T]: (input: T[K]["input"]) => Promise<TaskResult<T[K]["output"]>>;
};

export function serveTasks<T extends TaskMap>(handlers: TaskHandlers<T>): void {
  const port = parentPort;
  if (!port) throw new Error("serveTasks must run in a worker thread");
  port.on("message", (request: WorkerRequest) => {
    void (async () => {
      let reply: WorkerReply;
      let transfer: ArrayBuffer[] = [];
      try {
        const handler = handlers[request.task as keyof T];
        if (!handler) throw new Error(`unknown task "${request.task}"`);
        const result = await handler(request.input);
        reply = { id: request.id, ok: true, output: result.output };
        transfer = result.transfer ?? [];
      } catch (error) {
        reply = { id: request.id, ok: false, error: serializeError(error) };
      }
      port.postMessage(reply, transfer);
    })();
  });
}

/** An ArrayBuffer holding exactly `bytes`: its own buffer when it owns all of it, else a copy. */
export function ownArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) {
    return bytes.buffer;
  }
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
