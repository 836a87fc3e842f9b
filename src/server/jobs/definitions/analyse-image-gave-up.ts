/**
 * analyse-image-gave-up: the dead-letter queue of analyse-image. pg-boss moves an item here
 * (same payload) when it failed or expired more often than its retry limit; the handler records
 * the item as failed, with the last error, so its run completes instead of waiting forever.
 */
import "server-only";
import type { JobDefinition } from "./job-definition";
import { analyseImagePayloadSchema, type AnalyseImagePayload } from "./analyse-image";

export const analyseImageGaveUpJob = {
  id: "analyse-image-gave-up",
  version: 1,
  payloadSchema: analyseImagePayloadSchema,
  queue: { retryLimit: 5, expireInSeconds: 60 },
} as const satisfies JobDefinition<AnalyseImagePayload>;
