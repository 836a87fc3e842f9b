import { describe, expect, it } from "vitest";
import { DEFAULT_ANALYSIS_SETTINGS } from "~/core/settings/analysis-settings";
import { choiceDifferences, settingsModelOf } from "../ProjectSettingsBar";

const models = [
  { name: "visual-ccc-synthetic-v1", isDefault: true },
  { name: "other-built-in", isDefault: false },
];

describe("workspace choice against the project's settings", () => {
  it("maps the model picker to a settings model", () => {
    expect(settingsModelOf("", models)).toEqual({ kind: "none" });
    expect(settingsModelOf("version:abc", models)).toEqual({ kind: "version", modelVersionId: "abc" });
    expect(settingsModelOf("visual-ccc-synthetic-v1", models)).toEqual({ kind: "default" });
    expect(settingsModelOf("other-built-in", models)).toBeNull();
  });

  it("names what differs: model, K, target cluster", () => {
    const settings = DEFAULT_ANALYSIS_SETTINGS;
    expect(choiceDifferences(settings, { model: { kind: "default" }, k: 3, target: null })).toEqual([]);
    expect(choiceDifferences(settings, { model: { kind: "none" }, k: 2, target: 1 })).toEqual([
      "model",
      "K (project: 3)",
      "target cluster",
    ]);
    const withTarget = { ...settings, targetCluster: { k: 3, cluster: 2 } };
    expect(choiceDifferences(withTarget, { model: { kind: "default" }, k: 3, target: 2 })).toEqual([]);
    expect(choiceDifferences(withTarget, { model: { kind: "default" }, k: 3, target: 0 })).toEqual(["target cluster"]);
  });
});
