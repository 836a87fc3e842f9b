import { z } from "zod";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "~/server/api/trpc";
import { endAllSessions } from "~/server/auth/sessions";
import { signUp } from "~/server/users/sign-up";

export const signUpInput = z.object({
  email: z.string().trim().email("Enter a valid email address"),
  password: z.string().min(8, "Use at least 8 characters").max(200),
  name: z.string().trim().max(100).optional(),
});

export const authRouter = createTRPCRouter({
  signUp: publicProcedure
    .input(signUpInput)
    .mutation(({ ctx, input }) => signUp({ db: ctx.db, headers: ctx.headers, ...input })),

  /** Ends every session of the caller, on every device, at its next request. */
  signOutEverywhere: protectedProcedure.mutation(async ({ ctx }) => ({
    ended: await endAllSessions({ db: ctx.db, userId: ctx.user.id }),
  })),
});
