/**
 * sam2-image-gave-up: the dead-letter queue of sam2-image: an item that kept failing or kept
 * killing its worker is recorded as failed with the last error, so its run still finishes.
 */
import "server-only";
import { defineJob } from "./job-definition";
import { sam2ImageFields, sam2ImageJob } from "./sam2-image";

export const sam2ImageGaveUpJob = defineJob({
  id: "sam2-image-gave-up",
  version: sam2ImageJob.version,
  payload: sam2ImageFields,
  queue: { retryLimit: 5, expireInSeconds: 60 },
});
