import { z } from "zod";
import { idSchema } from "~/core/schemas";
import { createTRPCRouter, projectProcedure } from "~/server/api/trpc";
import { createShareLink } from "~/server/sharing/create-share-link";
import { listShareLinks } from "~/server/sharing/list-share-links";
import { revokeShareLink } from "~/server/sharing/revoke-share-link";
import { SHARE_LINK_MAX_DAYS } from "~/server/sharing/share-limits";
import { shareIncludeSchema } from "~/server/sharing/share-scope";

/**
 * Read-only share links, managed by EDITORs and OWNERs. The shared pages themselves (/s/[token])
 * are rendered from the token on the server and need no procedure here.
 */
export const shareRouter = createTRPCRouter({
  list: projectProcedure("EDITOR").query(({ ctx }) => listShareLinks({ ...ctx.inProject })),

  create: projectProcedure("EDITOR")
    .input(
      z.object({
        target: z.discriminatedUnion("kind", [
          z.object({ kind: z.literal("dataset"), datasetId: idSchema }),
          z.object({ kind: z.literal("image"), imageId: idSchema }),
        ]),
        include: shareIncludeSchema,
        /** null: until revoked. */
        expiresInDays: z.number().int().min(1).max(SHARE_LINK_MAX_DAYS).nullable(),
      }),
    )
    .mutation(({ ctx, input }) => createShareLink({ ...input, ...ctx.inProject })),

  revoke: projectProcedure("EDITOR")
    .input(z.object({ shareLinkId: idSchema }))
    .mutation(({ ctx, input }) => revokeShareLink({ ...input, ...ctx.inProject })),
});
