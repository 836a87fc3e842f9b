import { z } from "zod";
import { idSchema } from "~/core/schemas";
import { Role } from "~/generated/prisma/enums";
import { createTRPCRouter, projectProcedure, protectedProcedure, publicProcedure } from "~/server/api/trpc";
import { acceptInvitation } from "~/server/invitations/accept-invitation";
import { createInvitation } from "~/server/invitations/create-invitation";
import { INVITATION_DEFAULT_DAYS, INVITATION_MAX_DAYS } from "~/server/invitations/invitation-limits";
import { listInvitations } from "~/server/invitations/list-invitations";
import { previewInvitation } from "~/server/invitations/preview-invitation";
import { revokeInvitation } from "~/server/invitations/revoke-invitation";

const token = z.string().min(1).max(100);

/** Invitation links: owners manage members, so owners create and revoke them. */
export const invitationRouter = createTRPCRouter({
  list: projectProcedure("OWNER").query(({ ctx }) => listInvitations({ ...ctx.inProject })),

  create: projectProcedure("OWNER")
    .input(
      z.object({
        role: z.enum(Role),
        expiresInDays: z.number().int().min(1).max(INVITATION_MAX_DAYS).default(INVITATION_DEFAULT_DAYS),
      }),
    )
    .mutation(({ ctx, input }) => createInvitation({ ...input, ...ctx.inProject })),

  revoke: projectProcedure("OWNER")
    .input(z.object({ invitationId: idSchema }))
    .mutation(({ ctx, input }) => revokeInvitation({ ...input, ...ctx.inProject })),

  /** Public: the token is the credential; answers only the project name, role and expiry. */
  preview: publicProcedure
    .input(z.object({ token }))
    .query(({ ctx, input }) => previewInvitation({ db: ctx.db, token: input.token })),

  /** Signed-in user: joins the project the token names. */
  accept: protectedProcedure
    .input(z.object({ token }))
    .mutation(({ ctx, input }) => acceptInvitation({ db: ctx.db, userId: ctx.user.id, token: input.token })),
});
