import { describe, expect, it } from "vitest";
import { DEFAULT_ANALYSIS_SETTINGS } from "~/core/settings/analysis-settings";
import { choiceDifferences, settingsModelOf } from "../ProjectSettingsBar";

const models = [
  { name: "visual-ccc-synthetic-v2", isDefault: true },
  { name: "other-built-in", isDefault: false },
];

describe("workspace choice against the project's settings", () => {
  it("maps the model picker to a settings model", () => {
    expect(settingsModelOf("", models)).toEqual({ kind: "none" });
    expect(settingsModelOf("version:abc", models)).toEqual({ kind: "version", modelVersionId: "abc" });
    expect(settingsModelOf("visual-ccc-synthetic-v2", models)).toEqual({ kind: "default" });
    expect(settingsModelOf("other-built-in", models)).toBeNull();
  });

  it("names what differs: model, K, target cluster", () => {
    const settings = DEFAULT_ANALYSIS_SETTINGS;
    const tiles = { classification: "tiles" } as const;
    expect(choiceDifferences(settings, { model: { kind: "default" }, k: 3, target: null, ...tiles })).toEqual([]);
    expect(choiceDifferences(settings, { model: { kind: "none" }, k: 2, target: 1, ...tiles })).toEqual([
      "model",
      "K (project: 3)",
      "target cluster",
    ]);
    const withTarget = { ...settings, targetCluster: { k: 3, cluster: 2 } };
    expect(choiceDifferences(withTarget, { model: { kind: "default" }, k: 3, target: 2, ...tiles })).toEqual([]);
    expect(choiceDifferences(withTarget, { model: { kind: "default" }, k: 3, target: 0, ...tiles })).toEqual([
      "target cluster",
    ]);
  });

  it("names a different classification mode, except without a classifier", () => {
    const settings = { ...DEFAULT_ANALYSIS_SETTINGS, classification: "tiles" as const };
    const crop = { k: 3, target: null, classification: "centre-crop" } as const;
    expect(choiceDifferences(settings, { model: { kind: "default" }, ...crop })).toEqual([
      "classification (project: whole image)",
    ]);
    expect(choiceDifferences(settings, { model: { kind: "none" }, ...crop })).toEqual(["model"]);
    expect(choiceDifferences({ ...settings, model: { kind: "none" } }, { model: { kind: "none" }, ...crop })).toEqual(
      [],
    );
  });
});
