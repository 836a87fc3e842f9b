import { z } from "zod";
import { idSchema } from "~/core/schemas";
import { Role } from "~/generated/prisma/enums";
import { createTRPCRouter, projectProcedure } from "~/server/api/trpc";
import { changeMemberRole } from "~/server/members/change-member-role";
import { listMembers } from "~/server/members/list-members";
import { removeMember } from "~/server/members/remove-member";

const role = z.enum(Role);

export const memberRouter = createTRPCRouter({
  list: projectProcedure("VIEWER").query(({ ctx }) => listMembers({ ...ctx.inProject })),

  // No `add`: people join only by accepting an invitation (`invitation.create` with an email).

  changeRole: projectProcedure("OWNER")
    .input(z.object({ userId: idSchema, role }))
    .mutation(({ ctx, input }) => changeMemberRole({ ...input, ...ctx.inProject })),

  remove: projectProcedure("OWNER")
    .input(z.object({ userId: idSchema }))
    .mutation(({ ctx, input }) => removeMember({ ...input, ...ctx.inProject })),

  /** Any member may leave, except the last owner. */
  leave: projectProcedure("VIEWER").mutation(({ ctx }) => removeMember({ ...ctx.inProject, userId: ctx.user.id })),
});
