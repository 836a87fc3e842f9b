/**
 * analyse-image-gave-up: the dead-letter queue of analyse-image. pg-boss moves an item here
 * (same payload) when it failed or expired more often than its retry limit; the handler records
 * the item as failed, with the last error, so its run completes instead of waiting forever.
 * It is never started as a run of its own, so it has no run payload.
 */
import "server-only";
import { analyseImageFields, analyseImageJob } from "./analyse-image";
import { defineJob } from "./job-definition";

export const analyseImageGaveUpJob = defineJob({
  id: "analyse-image-gave-up",
  version: analyseImageJob.version,
  payload: analyseImageFields,
  queue: { retryLimit: 5, expireInSeconds: 60 },
});
