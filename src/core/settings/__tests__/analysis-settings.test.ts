import { describe, expect, it } from "vitest";
import { DEFAULT_ANALYSIS_SETTINGS, parseAnalysisSettings, settingsDifferences } from "../analysis-settings";

describe("analysis settings", () => {
  it("the defaults are valid and are the reference's analysis with objects", () => {
    const parsed = parseAnalysisSettings(DEFAULT_ANALYSIS_SETTINGS);
    expect(parsed).toEqual(DEFAULT_ANALYSIS_SETTINGS);
    expect(parsed).toMatchObject({ width: 512, glcmWindow: 5, ks: [3], model: { kind: "default" } });
  });

  it("refuses unknown fields, even GLCM windows, and a target cluster outside its K", () => {
    expect(() => parseAnalysisSettings({ ...DEFAULT_ANALYSIS_SETTINGS, extra: 1 })).toThrow(/Unrecognized key/);
    expect(() => parseAnalysisSettings({ ...DEFAULT_ANALYSIS_SETTINGS, glcmWindow: 4 })).toThrow(
      "glcmWindow: glcmWindow must be odd",
    );
    expect(() =>
      parseAnalysisSettings({ ...DEFAULT_ANALYSIS_SETTINGS, ks: [3], targetCluster: { k: 3, cluster: 3 } }),
    ).toThrow("targetCluster.cluster: the target cluster must be below its K");
    expect(() => parseAnalysisSettings({ ...DEFAULT_ANALYSIS_SETTINGS, model: { kind: "latest" } })).toThrow(
      'model.kind must be "default", "none" or "version"',
    );
  });

  it("has uncertainty thresholds, defaulted for settings saved before them, and validated", () => {
    expect(DEFAULT_ANALYSIS_SETTINGS.uncertainty).toEqual({ minConfidence: 0.7, maxOodScore: null });
    const { uncertainty: _omitted, ...older } = DEFAULT_ANALYSIS_SETTINGS;
    expect(parseAnalysisSettings(older).uncertainty).toEqual(DEFAULT_ANALYSIS_SETTINGS.uncertainty);
    const strict = { minConfidence: 0.9, maxOodScore: 2.5 };
    expect(parseAnalysisSettings({ ...DEFAULT_ANALYSIS_SETTINGS, uncertainty: strict }).uncertainty).toEqual(strict);
    expect(() =>
      parseAnalysisSettings({ ...DEFAULT_ANALYSIS_SETTINGS, uncertainty: { minConfidence: 1.5, maxOodScore: null } }),
    ).toThrow("uncertainty.minConfidence: minConfidence must be at most 1");
    expect(() =>
      parseAnalysisSettings({ ...DEFAULT_ANALYSIS_SETTINGS, uncertainty: { minConfidence: 0.5, maxOodScore: 0 } }),
    ).toThrow("uncertainty.maxOodScore: maxOodScore must be positive");
  });

  it("classifies the whole image by tiles in new settings, the centre crop in settings saved before the option", () => {
    expect(DEFAULT_ANALYSIS_SETTINGS.classification).toBe("tiles");
    const { classification: _omitted, ...older } = DEFAULT_ANALYSIS_SETTINGS;
    expect(parseAnalysisSettings(older).classification).toBe("centre-crop");
    // Saved settings record the mode, so a later change of the default never changes them.
    expect(JSON.parse(JSON.stringify(parseAnalysisSettings(DEFAULT_ANALYSIS_SETTINGS)))).toMatchObject({
      classification: "tiles",
    });
    expect(parseAnalysisSettings({ ...DEFAULT_ANALYSIS_SETTINGS, classification: "centre-crop" }).classification).toBe(
      "centre-crop",
    );
    expect(parseAnalysisSettings({ ...DEFAULT_ANALYSIS_SETTINGS, classification: "tiles" }).classification).toBe(
      "tiles",
    );
    expect(() => parseAnalysisSettings({ ...DEFAULT_ANALYSIS_SETTINGS, classification: "whole" })).toThrow(
      "classification",
    );
  });

  it("names the settings that differ", () => {
    const k4 = parseAnalysisSettings({ ...DEFAULT_ANALYSIS_SETTINGS, ks: [4], objects: null });
    expect(settingsDifferences(DEFAULT_ANALYSIS_SETTINGS, k4)).toEqual(["ks", "objects"]);
    expect(settingsDifferences(k4, k4)).toEqual([]);
  });
});
