import { z } from "zod";
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

  get: projectProcedure("VIEWER").query(async ({ ctx }) => ({
    ...(await getProject({ db: ctx.db, projectId: ctx.projectId })),
    role: ctx.role,
  })),

  update: projectProcedure("OWNER")
    .input(z.object({ name: projectName.optional(), description: z.string().max(2000).optional() }))
    .mutation(({ ctx, input }) =>
      updateProject({
        db: ctx.db,
        projectId: ctx.projectId,
        actorId: ctx.user.id,
        name: input.name,
        description: input.description,
      }),
    ),

  delete: projectProcedure("OWNER").mutation(({ ctx }) =>
    deleteProject({ db: ctx.db, projectId: ctx.projectId }),
  ),
});
