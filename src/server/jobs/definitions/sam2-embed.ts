/**
 * sam2-embed: "prepare SAM for this dataset" (or one image): fans the images out into sam2-image
 * items that compute and store each image's embedding, with the run's progress per image.
 */
import "server-only";
import { defineJob } from "./job-definition";
import { sam2RunPayloadSchema } from "./sam2-run-payload";

export const sam2EmbedJob = defineJob({
  id: "sam2-embed",
  version: 1,
  payload: sam2RunPayloadSchema,
  runPayload: sam2RunPayloadSchema,
  queue: { retryLimit: 5, expireInSeconds: 600 },
});
