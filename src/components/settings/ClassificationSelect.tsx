"use client";

import { CLASSIFICATION_MODES, type ClassificationMode } from "~/core/settings/analysis-settings";

/** Whole image first: the product's default for new settings. */
const ORDER: readonly ClassificationMode[] = ["tiles", "centre-crop"];

const LABELS: Record<ClassificationMode, string> = {
  tiles: "whole image (tiles)",
  "centre-crop": "centre crop (as the paper)",
};

/** What the two classification modes mean, in one line (settings panel and workspace). */
export const CLASSIFICATION_EXPLANATION =
  "Whole image: the analysed area (data bar left out) is cut into 256 px tiles at the model's scale and their evidence is averaged; centre crop: the network sees only the centre 256 × 256 square, as the paper's app does.";

/** The "Classify: whole image (tiles) / centre crop (as the paper)" choice. */
export function ClassificationSelect(props: {
  id?: string;
  testId: string;
  value: ClassificationMode;
  disabled?: boolean;
  onChange: (value: ClassificationMode) => void;
}) {
  return (
    <select
      id={props.id}
      data-testid={props.testId}
      value={props.value}
      disabled={props.disabled}
      title={CLASSIFICATION_EXPLANATION}
      onChange={(event) => {
        const value = CLASSIFICATION_MODES.find((mode) => mode === event.target.value);
        if (value) props.onChange(value);
      }}
    >
      {ORDER.map((mode) => (
        <option key={mode} value={mode}>
          {LABELS[mode]}
        </option>
      ))}
    </select>
  );
}
