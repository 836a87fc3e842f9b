import { z } from "zod";
import { createTRPCRouter, projectProcedure } from "~/server/api/trpc";
import { getProjectSettings, listProjectSettings, saveProjectSettings } from "~/server/settings/project-settings";

const versionSchema = z.number().int().min(0).max(1_000_000);

/**
 * The project's analysis settings (src/server/settings): what dataset runs and exports use.
 * Reading is for every member; saving a new version is an EDITOR action (capability
 * "manageSettings"). The settings themselves are validated by the service (one message listing
 * every problem), so the input is any value here.
 */
export const settingsRouter = createTRPCRouter({
  /** The current settings, or the given version (0: the defaults). */
  get: projectProcedure("VIEWER")
    .input(z.object({ version: versionSchema.optional() }))
    .query(({ ctx, input }) => getProjectSettings({ ...ctx.inProject, version: input.version })),

  /** Every saved version, newest first. */
  list: projectProcedure("VIEWER").query(({ ctx }) => listProjectSettings(ctx.inProject)),

  /** Saves the settings as the project's next version (or returns the current one if equal). */
  save: projectProcedure("EDITOR")
    .input(z.object({ settings: z.custom<unknown>((value) => value !== undefined, "settings are required") }))
    .mutation(({ ctx, input }) => saveProjectSettings({ ...ctx.inProject, settings: input.settings })),
});
