import { z } from "zod";
import { idSchema } from "~/core/schemas";
import { Role } from "~/generated/prisma/enums";
import { createTRPCRouter, projectProcedure, protectedProcedure, publicProcedure } from "~/server/api/trpc";
import { acceptInvitation, acceptMyInvitation } from "~/server/invitations/accept-invitation";
import { createInvitation } from "~/server/invitations/create-invitation";
import { INVITATION_DEFAULT_DAYS, INVITATION_MAX_DAYS } from "~/server/invitations/invitation-limits";
import { listInvitations } from "~/server/invitations/list-invitations";
import { declineMyInvitation, listMyInvitations } from "~/server/invitations/my-invitations";
import { previewInvitation } from "~/server/invitations/preview-invitation";
import { revokeInvitation } from "~/server/invitations/revoke-invitation";

const token = z.string().min(1).max(100);

/**
 * Invitations: owners manage members, so owners create and revoke them. An invitation is a link,
 * optionally addressed to an email; nobody becomes a member without accepting one.
 */
export const invitationRouter = createTRPCRouter({
  list: projectProcedure("OWNER").query(({ ctx }) => listInvitations({ ...ctx.inProject })),

  create: projectProcedure("OWNER")
    .input(
      z.object({
        role: z.enum(Role),
        /** Addressed: only the account with this email may accept (same answer whether it exists). */
        email: z.string().trim().max(320).email("Enter a valid email address").optional(),
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

  /** Signed-in user: the open invitations addressed to their own email. */
  mine: protectedProcedure.query(({ ctx }) => listMyInvitations({ db: ctx.db, userId: ctx.user.id })),

  /** Signed-in user: accepts one of their own addressed invitations (no link needed). */
  acceptMine: protectedProcedure
    .input(z.object({ invitationId: idSchema }))
    .mutation(({ ctx, input }) => acceptMyInvitation({ db: ctx.db, userId: ctx.user.id, ...input })),

  /** Signed-in user: declines one of their own addressed invitations. */
  decline: protectedProcedure
    .input(z.object({ invitationId: idSchema }))
    .mutation(({ ctx, input }) => declineMyInvitation({ db: ctx.db, userId: ctx.user.id, ...input })),
});
