import { z } from "zod";
import { OBJECT_DESCRIPTOR_NAMES } from "~/core/results/object-descriptors";
import { idSchema } from "~/core/schemas";
import { createTRPCRouter, projectProcedure } from "~/server/api/trpc";
import { listResultRows } from "~/server/results/list-result-rows";
import { sampleObjectDescriptors } from "~/server/results/sample-object-descriptors";

/** Absent: the project's current settings; 0: the defaults (nothing ever reported under them). */
const settingsVersion = z.number().int().min(0).max(1_000_000).optional();

/**
 * The results view (src/server/results): every image's numbers under one settings version, the
 * same rows as results.csv, and object descriptors per image for histograms. Read-only, for
 * every member.
 */
export const resultsRouter = createTRPCRouter({
  /** A page of rows (images by id) with their numbers by column key, and those columns. */
  table: projectProcedure("VIEWER")
    .input(
      z.object({
        datasetId: idSchema.optional(),
        settingsVersion,
        cursor: idSchema.optional(),
        limit: z.number().int().min(1).max(500).default(200),
      }),
    )
    .query(({ ctx, input }) => listResultRows({ ...input, ...ctx.inProject })),

  /** One object descriptor's values per image (sampled evenly, bounded in all), with the images' tags. */
  objectDescriptors: projectProcedure("VIEWER")
    .input(
      z.object({
        datasetId: idSchema.optional(),
        settingsVersion,
        descriptor: z.enum(OBJECT_DESCRIPTOR_NAMES),
        unit: z.enum(["px", "µm"]).default("px"),
        maxPerImage: z.number().int().min(1).max(5000).default(500),
      }),
    )
    .query(({ ctx, input }) => sampleObjectDescriptors({ ...input, ...ctx.inProject })),
});
