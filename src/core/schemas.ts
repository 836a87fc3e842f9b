/**
 * Zod building blocks shared by tRPC inputs, route-handler params, job payloads and events.
 * Server and browser both import them, so they hold no I/O.
 */
import { z } from "zod";

/** A database id (cuid) as it arrives from a client: bounded before any lookup. */
export const idSchema = z.string().min(1).max(64);

/** A name a person gives a project, dataset or label class. */
export const nameSchema = (emptyMessage: string) => z.string().trim().min(1, emptyMessage).max(120);

/** Free-text description of a project or dataset. */
export const descriptionSchema = z.string().max(2000);

/** One image or every image of a dataset (a scale change, a share link). */
export const imageOrDatasetTargetSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("image"), imageId: idSchema }),
  z.object({ kind: z.literal("dataset"), datasetId: idSchema }),
]);
