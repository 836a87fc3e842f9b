/**
 * Project analysis settings on a real database: version 0 before anything is saved, saving new
 * versions (immutable, numbered, audited, equal settings not duplicated), refusals with clear
 * messages, who may save, and pinning the defaults as version 1 when a run needs a saved version.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_ANALYSIS_SETTINGS } from "~/core/settings/analysis-settings";
import { db } from "~/server/db";
import { callerFor, seedProject } from "../../../../tests/helpers/seed";
import { getProjectSettings, pinProjectSettings } from "../project-settings";
import { trpcRefusal } from "../../../../tests/helpers/trpc-error-code";

const refusal = trpcRefusal;

describe("project analysis settings", () => {
  it("starts at version 0 (the defaults); each save is a new immutable version", async () => {
    const { project, users } = await seedProject(db, { editor: "EDITOR", viewer: "VIEWER" });
    const editor = callerFor(db, users.editor!);
    const viewer = callerFor(db, users.viewer!);

    const initial = await viewer.settings.get({ projectId: project.id });
    expect(initial).toMatchObject({ id: null, version: 0, settings: DEFAULT_ANALYSIS_SETTINGS });

    const k4 = { ...DEFAULT_ANALYSIS_SETTINGS, ks: [4], targetCluster: { k: 4, cluster: 3 } };
    const v1 = await editor.settings.save({ projectId: project.id, settings: k4 });
    expect(v1.version).toBe(1);
    expect(v1.settings.ks).toEqual([4]);
    // The same settings again: no new version.
    expect((await editor.settings.save({ projectId: project.id, settings: k4 })).version).toBe(1);

    const v2 = await editor.settings.save({ projectId: project.id, settings: { ...k4, objects: null } });
    expect(v2.version).toBe(2);
    expect((await viewer.settings.get({ projectId: project.id })).version).toBe(2);
    // Older versions read back unchanged.
    expect((await viewer.settings.get({ projectId: project.id, version: 1 })).settings).toEqual(v1.settings);
    expect((await viewer.settings.list({ projectId: project.id })).map((v) => v.version)).toEqual([2, 1]);

    const audit = await db.auditEvent.findMany({ where: { projectId: project.id, action: "settings.save" } });
    expect(audit.map((e) => (e.data as { version: number }).version).sort()).toEqual([1, 2]);
  });

  it("refuses bad settings with every problem named, unknown versions, and viewers", async () => {
    const { project, users } = await seedProject(db, { editor: "EDITOR", viewer: "VIEWER" });
    const editor = callerFor(db, users.editor!);
    const bad = await refusal(
      editor.settings.save({
        projectId: project.id,
        settings: { ...DEFAULT_ANALYSIS_SETTINGS, ks: [3, 3], width: 8, targetCluster: { k: 5, cluster: 0 } },
      }),
    );
    expect(bad.code).toBe("BAD_REQUEST");
    expect(bad.message).toContain("ks: each K once");
    expect(bad.message).toContain("width: width must be at least 16 px");
    expect(bad.message).toContain("the target cluster's K must be one of the K values");

    const missingModel = await refusal(
      editor.settings.save({
        projectId: project.id,
        settings: { ...DEFAULT_ANALYSIS_SETTINGS, model: { kind: "version", modelVersionId: "nope" } },
      }),
    );
    expect(missingModel.code).toBe("NOT_FOUND");

    expect((await refusal(editor.settings.get({ projectId: project.id, version: 7 }))).code).toBe("NOT_FOUND");
    const viewer = callerFor(db, users.viewer!);
    expect(
      (await refusal(viewer.settings.save({ projectId: project.id, settings: DEFAULT_ANALYSIS_SETTINGS }))).code,
    ).toBe("FORBIDDEN");
    expect(await db.analysisSettings.count({ where: { projectId: project.id } })).toBe(0);
  });

  it("pinning saves the defaults as version 1 once, then returns the current version", async () => {
    const { project, users } = await seedProject(db, { editor: "EDITOR" });
    const scope = { db, projectId: project.id, actorId: users.editor!.id };
    const pinned = await pinProjectSettings(scope);
    expect(pinned).toMatchObject({ version: 1, settings: DEFAULT_ANALYSIS_SETTINGS });
    expect((await pinProjectSettings(scope)).id).toBe(pinned.id);
    expect((await getProjectSettings(scope)).id).toBe(pinned.id);
  });
});
