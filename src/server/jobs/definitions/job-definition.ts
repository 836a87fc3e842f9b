import "server-only";
import { z } from "zod";

/** Queue defaults; the sender may override expiration and retries per job. */
export type JobQueueDefaults = { retryLimit: number; expireInSeconds: number; deadLetter?: string };

/**
 * A job type: its queue name (`id`, persisted in pg-boss and as JobRun.type: never rename), the
 * version of its payload, and the zod schema every queue payload is checked against when sent and
 * when received.
 */
export type JobDefinition<Payload> = {
  id: string;
  version: number;
  payloadSchema: z.ZodType<Payload>;
  queue: JobQueueDefaults;
};

/** What every queue payload carries besides its own fields: which run, of which project. */
const queuePayloadEnvelope = {
  jobRunId: z.string().min(1),
  projectId: z.string().min(1),
};

/**
 * Declares a job type in one place: its queue payload (`payload`: only the job's own fields; the
 * version, jobRunId and projectId every job carries are added here) and, for a job that is
 * started as a JobRun, the schema of that run's persisted `JobRun.payload` (`runPayload`). The
 * run payload is parsed before a run is written (startJobRun) and whenever it is read back, so a
 * run never holds JSON its readers do not understand.
 */
export function defineJob<
  const Id extends string,
  const Version extends number,
  Shape extends z.ZodRawShape,
  RunPayloadSchema extends z.ZodType | undefined = undefined,
>(spec: {
  id: Id;
  version: Version;
  payload: z.ZodObject<Shape>;
  runPayload?: RunPayloadSchema;
  queue: JobQueueDefaults;
}) {
  return {
    id: spec.id,
    version: spec.version,
    payloadSchema: spec.payload.extend({ version: z.literal(spec.version), ...queuePayloadEnvelope }),
    runPayloadSchema: spec.runPayload as RunPayloadSchema,
    queue: spec.queue,
  };
}
