/**
 * The file every pool thread starts (pool.ts explains why): registers tsx in this thread, then
 * imports the TypeScript entry named in workerData. Plain JavaScript, so Node runs it as is.
 */
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
