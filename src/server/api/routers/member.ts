import { z } from "zod";
import { Role } from "~/generated/prisma/enums";
import { createTRPCRouter, projectProcedure } from "~/server/api/trpc";
import { addMember } from "~/server/members/add-member";
import { changeMemberRole } from "~/server/members/change-member-role";
import { listMembers } from "~/server/members/list-members";
import { removeMember } from "~/server/members/remove-member";

const role = z.enum(Role);

export const memberRouter = createTRPCRouter({
  list: projectProcedure("VIEWER").query(({ ctx }) => listMembers({ db: ctx.db, projectId: ctx.projectId })),

  add: projectProcedure("OWNER")
    .input(z.object({ email: z.string().trim().email("Enter a valid email address"), role }))
    .mutation(({ ctx, input }) =>
      addMember({ ...input, db: ctx.db, projectId: ctx.projectId, actorId: ctx.user.id }),
    ),

  changeRole: projectProcedure("OWNER")
    .input(z.object({ userId: z.string().min(1), role }))
    .mutation(({ ctx, input }) =>
      changeMemberRole({ ...input, db: ctx.db, projectId: ctx.projectId, actorId: ctx.user.id }),
    ),

  remove: projectProcedure("OWNER")
    .input(z.object({ userId: z.string().min(1) }))
    .mutation(({ ctx, input }) =>
      removeMember({ ...input, db: ctx.db, projectId: ctx.projectId, actorId: ctx.user.id }),
    ),

  /** Any member may leave, except the last owner. */
  leave: projectProcedure("VIEWER").mutation(({ ctx }) =>
    removeMember({ db: ctx.db, projectId: ctx.projectId, actorId: ctx.user.id, userId: ctx.user.id }),
  ),
});
