import { z } from "zod";
import { idSchema } from "~/core/schemas";
import { createTRPCRouter, projectProcedure } from "~/server/api/trpc";
import { deleteLabelClass } from "~/server/label-classes/delete-label-class";
import { listLabelClasses } from "~/server/label-classes/list-label-classes";
import { saveLabelClass } from "~/server/label-classes/save-label-class";

export const labelClassRouter = createTRPCRouter({
  list: projectProcedure("VIEWER").query(({ ctx }) => listLabelClasses({ ...ctx.inProject })),

  save: projectProcedure("EDITOR")
    .input(
      z.object({
        labelClassId: idSchema.optional(),
        name: z.string().trim().min(1).max(60),
        color: z.string().regex(/^#[0-9a-fA-F]{6}$/, "Use a colour like #1f77b4"),
      }),
    )
    .mutation(({ ctx, input }) => saveLabelClass({ ...input, ...ctx.inProject })),

  delete: projectProcedure("EDITOR")
    .input(z.object({ labelClassId: idSchema }))
    .mutation(({ ctx, input }) => deleteLabelClass({ ...input, ...ctx.inProject })),
});
