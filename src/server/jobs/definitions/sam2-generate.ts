/**
 * sam2-generate: automatic mask generation for a dataset (or one image): fans the images out into
 * sam2-image items that make each image's SAM 2 object set (embedding first when missing).
 */
import "server-only";
import { defineJob } from "./job-definition";
import { sam2RunPayloadSchema } from "./sam2-run-payload";

export const sam2GenerateJob = defineJob({
  id: "sam2-generate",
  version: 1,
  payload: sam2RunPayloadSchema,
  runPayload: sam2RunPayloadSchema,
  queue: { retryLimit: 5, expireInSeconds: 600 },
});
