/**
 * sam2-image: one image of a SAM 2 run: its embedding ("embed"), or its embedding and its
 * automatic masks as an ObjectSet of method "sam2" ("generate"). Each step is stored under a
 * unique key before the item is recorded, so an attempt after a dead worker reuses what the dead
 * one finished and the item is counted once (record-item-outcome.ts).
 */
import "server-only";
import { z } from "zod";
import { sam2AmgParamsSchema } from "~/core/sam2/amg-params";
import { defineJob } from "./job-definition";
import { SAM2_ITEM_TASKS, sam2RunModelSchema } from "./sam2-run-payload";

export const sam2ImageFields = z.object({
  imageId: z.string().min(1),
  task: z.enum(SAM2_ITEM_TASKS),
  model: sam2RunModelSchema,
  params: sam2AmgParamsSchema.nullable().default(null),
});

export const sam2ImageJob = defineJob({
  id: "sam2-image",
  version: 1,
  payload: sam2ImageFields,
  // An image with a large real model takes the encoder (seconds to a minute on CPU) and 1024
  // prompts through the decoder; a dead worker's item comes back sooner through its heartbeat.
  queue: { retryLimit: 3, expireInSeconds: 1800, deadLetter: "sam2-image-gave-up" },
});
export type Sam2ImagePayload = z.infer<typeof sam2ImageJob.payloadSchema>;
