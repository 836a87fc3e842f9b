/**
 * analyse-image: analyse one image (classify + CAM + the analysis pipeline + store) as one item
 * of a JobRun. Dataset jobs fan out into these; a single-image run has exactly one.
 */
import "server-only";
import { z } from "zod";
import { analysisParamsSchema } from "~/server/analysis/analysis-params-schema";
import type { JobDefinition } from "./job-definition";

export const analyseImagePayloadSchema = z.object({
  version: z.literal(1),
  jobRunId: z.string().min(1),
  projectId: z.string().min(1),
  imageId: z.string().min(1),
  params: analysisParamsSchema,
  /** Model name or path; null: no classification. */
  model: z.string().min(1).nullable(),
});
export type AnalyseImagePayload = z.infer<typeof analyseImagePayloadSchema>;

export const analyseImageJob = {
  id: "analyse-image",
  version: 1,
  payloadSchema: analyseImagePayloadSchema,
  // Items that exhaust their retries (a worker dying on them each time, a store that stays down)
  // go to the dead-letter queue, whose handler records them as failed so the run still finishes.
  queue: { retryLimit: 3, expireInSeconds: 300, deadLetter: "analyse-image-gave-up" },
} as const satisfies JobDefinition<AnalyseImagePayload>;
