/**
 * Exports report one settings version, whatever anyone views: a dataset run under the project's
 * settings (K = 4), then an image viewed with K = 2 and another model, must leave results.csv
 * byte for byte as it was, every row naming the same settings version; a new settings version
 * and its run change the export, and the old version still exports as before.
 */
import { text } from "node:stream/consumers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ANALYSIS_SETTINGS } from "~/core/settings/analysis-settings";
import { db } from "~/server/db";
import { streamResultsCsv } from "~/server/exports/stream-results-csv";
import { closeHeavyWorkPool } from "~/server/workers/heavy-pool";
import { callerFor, seedProject } from "../../../../tests/helpers/seed";
import { runJobWorkerDuringTests } from "../../jobs/__tests__/job-worker";
import { seedDataset, TINY_MODEL, waitForFinishedRun } from "../../jobs/__tests__/seed-images";
import { getProjectSettings } from "../project-settings";

beforeAll(() => {
  process.env.INFERENCE_MODEL = TINY_MODEL;
});
afterAll(async () => {
  await closeHeavyWorkPool();
});
runJobWorkerDuringTests({ JOB_ITEM_EXPIRE_SECONDS: 30 });

const finished = (jobRunId: string) => waitForFinishedRun(db, jobRunId, { timeoutMs: 45_000, what: "the run" });

describe("exports pinned to a settings version", () => {
  it("viewing never changes an export; every row names one settings version", async () => {
    const { project, users } = await seedProject(db, { editor: "EDITOR", annotator: "ANNOTATOR" });
    const { datasetId, imageIds } = await seedDataset({ db, projectId: project.id, count: 3 });
    const editor = callerFor(db, users.editor!);
    const v1 = await editor.settings.save({
      projectId: project.id,
      settings: { ...DEFAULT_ANALYSIS_SETTINGS, ks: [4], objects: null },
    });
    await finished((await editor.job.startDatasetAnalysis({ projectId: project.id, datasetId })).jobRunId);

    const exportCsv = async (version?: number) => {
      const settings = await getProjectSettings({ db, projectId: project.id, version });
      return text(streamResultsCsv({ db, scope: { projectId: project.id }, settings }));
    };
    const before = await exportCsv();
    const [header, ...rows] = before
      .trimEnd()
      .split("\r\n")
      .map((line) => line.split(","));
    const column = (name: string) => rows.map((row) => row[header!.indexOf(name)]);
    expect(rows).toHaveLength(3);
    expect(new Set(column("settings_version"))).toEqual(new Set([String(v1.version)]));
    expect(new Set(column("status"))).toEqual(new Set(["ok"]));
    expect(column("cluster_shares_k4").every((cell) => cell !== "" && cell!.split(";").length === 4)).toBe(true);
    expect(column("cluster_shares_k2").every((cell) => cell === "")).toBe(true);

    // Someone explores an image with K = 2 and no classifier: stored, newer, not reported.
    await callerFor(db, users.annotator!).analysis.run({
      projectId: project.id,
      imageId: imageIds[0]!,
      k: 2,
      model: null,
    });
    expect(await db.analysis.count({ where: { imageId: imageIds[0]! } })).toBe(2);
    expect(await exportCsv()).toBe(before);

    // A new version (K = 3) and its run: the current export changes, version 1 still exports as before.
    const v2 = await editor.settings.save({
      projectId: project.id,
      settings: { ...DEFAULT_ANALYSIS_SETTINGS, ks: [3], objects: null },
    });
    await finished((await editor.job.startDatasetAnalysis({ projectId: project.id, datasetId })).jobRunId);
    const after = await exportCsv();
    expect(after).not.toBe(before);
    expect(after).toContain(`,${v2.version},ok`);
    expect(await exportCsv(v1.version)).toBe(before);
  });
});
