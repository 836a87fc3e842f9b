/**
 * Configuration of the queue and the workers, from the environment (validated once).
 * Every worker process reads the same variables, so scaling out is configuration only.
 */
import "server-only";
import { z } from "zod";
import { providerNameSchema } from "~/server/inference/providers";

const settingsSchema = z.object({
  /** Jobs one worker process runs at the same time. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  /** ONNX Runtime execution provider of this worker (read by the inference service too). */
  INFERENCE_PROVIDER: z.string().trim().toLowerCase().pipe(providerNameSchema).default("cpu"),
  /**
   * How long one image may take before the queue presumes its worker dead and hands the image to
   * another worker. Generous: a 20k x 20k micrograph takes seconds, not minutes.
   */
  JOB_ITEM_EXPIRE_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
  /** Retries of an image after a transient error or a dead worker, before it is given up. */
  JOB_ITEM_RETRY_LIMIT: z.coerce.number().int().min(0).max(20).default(3),
  /** How often a worker looks for expired jobs (pg-boss maintenance; one worker at a time). */
  JOB_MAINTENANCE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** "1": log every job as it starts (operations, and the crash test that kills a worker mid-job). */
  WORKER_LOG_JOBS: z.enum(["0", "1"]).default("0"),
  /** How often an idle worker polls for work. */
  JOB_POLL_SECONDS: z.coerce.number().min(0.5).max(60).default(2),
});

export type JobSettings = z.infer<typeof settingsSchema>;

/** Throws a readable error naming the bad variable. */
export function jobSettings(env: NodeJS.ProcessEnv = process.env): JobSettings {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    throw new Error(`invalid job configuration: ${issues}`);
  }
  return parsed.data;
}
