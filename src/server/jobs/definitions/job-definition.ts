import "server-only";
import type { z } from "zod";

/**
 * A job type: its queue name (`id`, persisted in pg-boss: never rename), the version of its
 * payload, and the zod schema every payload is checked against when sent and when received.
 */
export type JobDefinition<Payload> = {
  id: string;
  version: number;
  payloadSchema: z.ZodType<Payload>;
  /** Queue defaults; the sender may override expiration and retries per job. */
  queue: { retryLimit: number; expireInSeconds: number; deadLetter?: string };
};
