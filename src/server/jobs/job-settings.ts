/**
 * Configuration of the queue and the workers: the job variables of the one environment schema
 * (src/server/env.ts, where each is described). Every worker process reads the same variables, so
 * scaling out is configuration only.
 */
import "server-only";
import { parseEnv, serverEnv, type EnvSource, type ServerEnv } from "~/server/env";

const JOB_SETTING_NAMES = [
  "WORKER_CONCURRENCY",
  "WORKER_BATCH_SIZE",
  "INFERENCE_PROVIDER",
  "JOB_ITEM_EXPIRE_SECONDS",
  "JOB_ITEM_RETRY_LIMIT",
  "JOB_MAINTENANCE_SECONDS",
  "WORKER_LOG_JOBS",
  "JOB_POLL_SECONDS",
] as const satisfies readonly (keyof ServerEnv)[];

export type JobSettings = Pick<ServerEnv, (typeof JOB_SETTING_NAMES)[number]>;

/** Throws a readable error naming the bad variable. `env`: another environment than this process's. */
export function jobSettings(env?: EnvSource): JobSettings {
  const all = env ? parseEnv(env) : serverEnv();
  return Object.fromEntries(JOB_SETTING_NAMES.map((name) => [name, all[name]])) as JobSettings;
}
