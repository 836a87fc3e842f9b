import "server-only";
import { z } from "zod";
import { sam2AmgParamsSchema } from "~/core/sam2/amg-params";

/**
 * The SAM 2 model a run uses: its installed name and the identity of its two files when the run
 * started (an item refuses to run on other files under the same name).
 */
export const sam2RunModelSchema = z.object({
  name: z.string().min(1).max(100),
  pairSha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type Sam2RunModel = z.infer<typeof sam2RunModelSchema>;

/**
 * JobRun.payload of the SAM 2 runs ("sam2-embed": prepare embeddings; "sam2-generate": automatic
 * masks), for a dataset or one image of it. Persisted: add fields, do not rename.
 */
export const sam2RunPayloadSchema = z.object({
  datasetId: z.string().min(1),
  /** Set for a single-image run. */
  imageId: z.string().min(1).optional(),
  model: sam2RunModelSchema,
  /** The automatic mask generator's parameters (resolved); null for "sam2-embed". */
  params: sam2AmgParamsSchema.nullable().default(null),
});
export type Sam2RunPayload = z.infer<typeof sam2RunPayloadSchema>;

/** What one image of a SAM 2 run does: compute its embedding, or its embedding and its masks. */
export const SAM2_ITEM_TASKS = ["embed", "generate"] as const;
export type Sam2ItemTask = (typeof SAM2_ITEM_TASKS)[number];
