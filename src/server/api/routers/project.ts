import { z } from "zod";
import { capabilitiesOf } from "~/core/roles";
import { createTRPCRouter, projectProcedure, protectedProcedure } from "~/server/api/trpc";
import { createProject } from "~/server/projects/create-project";
import { deleteProject } from "~/server/projects/delete-project";
import { getProject } from "~/server/projects/get-project";
import { listProjects } from "~/server/projects/list-projects";
import { updateProject } from "~/server/projects/update-project";

const projectName = z.string().trim().min(1, "Give the project a name").max(120);

export const projectRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => listProjects({ db: ctx.db, userId: ctx.user.id })),

  create: protectedProcedure
    .input(z.object({ name: projectName, description: z.string().max(2000).optional() }))
    .mutation(({ ctx, input }) => createProject({ db: ctx.db, userId: ctx.user.id, ...input })),

  /** The project, the caller's role and what that role may do (the UI shows what `can` allows). */
  get: projectProcedure("VIEWER").query(async ({ ctx }) => ({
    ...(await getProject({ ...ctx.inProject })),
    role: ctx.role,
    can: capabilitiesOf(ctx.role),
  })),

  update: projectProcedure("OWNER")
    .input(z.object({ name: projectName.optional(), description: z.string().max(2000).optional() }))
    .mutation(({ ctx, input }) =>
      updateProject({
        ...ctx.inProject,
        name: input.name,
        description: input.description,
      }),
    ),

  delete: projectProcedure("OWNER").mutation(({ ctx }) => deleteProject({ ...ctx.inProject })),
});
