/**
 * The UI's capability table (src/core/roles.ts) and the server's checks must agree: a button the
 * UI shows must be one the server accepts, and the other way round. Each capability names the
 * procedures and route handlers it stands for; their declared minimum role must equal the
 * capability's. A capability without any procedure or route fails too.
 */
import { describe, expect, it, vi } from "vitest";
import { CAPABILITY_MINIMUM_ROLE, type Capability } from "~/core/roles";
import { appRouter } from "~/server/api/root";
import type { ProcedureMeta } from "~/server/api/trpc";
import { routeDeclarationOf } from "~/server/http/project-route";

vi.mock("~/server/auth", () => ({ auth: async () => null }));
const exportsRoute = await import("~/app/api/projects/[projectId]/exports/[kind]/route");
const uploadRoute = await import("~/app/api/projects/[projectId]/datasets/[datasetId]/upload/route");
const objectLabelsRoute = await import("~/app/api/object-sets/[objectSetId]/labels/route");

const GATED: Record<Capability, { procedures?: string[]; routes?: unknown[] }> = {
  view: {
    procedures: [
      "project.get",
      "dataset.list",
      "annotation.forImage",
      "analysis.workspace",
      "objects.forImage",
      "results.table",
    ],
    routes: [objectLabelsRoute.GET],
  },
  annotate: {
    procedures: [
      "annotation.setImageLabels",
      "annotation.createRegion",
      "annotation.updateRegion",
      "annotation.deleteRegion",
    ],
  },
  analyse: { procedures: ["analysis.run", "objects.run"] },
  setScale: { procedures: ["scale.set", "analysedArea.set"] },
  manageSettings: { procedures: ["settings.save"] },
  upload: { routes: [uploadRoute.POST] },
  manageDatasets: {
    procedures: [
      "dataset.create",
      "dataset.delete",
      "dataset.deleteImage",
      "dataset.rename",
      "dataset.renameImage",
      "dataset.moveImages",
      "dataset.deleteImages",
      "dataset.deletionImpact",
    ],
  },
  editConditions: { procedures: ["conditions.set"] },
  manageLabelClasses: { procedures: ["labelClass.save", "labelClass.delete"] },
  manageJobs: { procedures: ["job.startDatasetAnalysis", "job.cancel", "job.retryFailed"] },
  manageModels: { procedures: ["modelVersion.retrain", "modelVersion.delete"] },
  share: { procedures: ["share.create", "share.revoke"] },
  export: { routes: [exportsRoute.GET] },
  importAnnotations: { routes: [exportsRoute.POST] },
  manageMembers: { procedures: ["invitation.create", "member.changeRole", "member.remove"] },
  manageProject: { procedures: ["project.update", "project.delete"] },
};

type AnyProcedure = { _def: { meta?: ProcedureMeta } };
const procedures = appRouter._def.procedures as unknown as Record<string, AnyProcedure>;

describe("the capability table matches the server's checks", () => {
  it.each(Object.entries(CAPABILITY_MINIMUM_ROLE))("%s (%s)", (capability, minimum) => {
    const gated = GATED[capability as Capability];
    expect((gated.procedures?.length ?? 0) + (gated.routes?.length ?? 0), "gates something").toBeGreaterThan(0);
    for (const path of gated.procedures ?? []) {
      const access = procedures[path]?._def.meta?.access;
      expect(access, path).toEqual({ kind: "project", minimum });
    }
    for (const route of gated.routes ?? []) expect(routeDeclarationOf(route)?.minimum).toBe(minimum);
  });
});
