/**
 * ImageTag rows <-> the core's TagValue: a number goes to numberValue (with its unit), a text to
 * textValue. The one place that knows the two columns.
 */
import type { TagSource, TagValue } from "~/core/conditions/tags";

export type TagRowColumns = {
  key: string;
  numberValue: number | null;
  textValue: string | null;
  unit: string | null;
  source: TagSource;
};

export function tagRowColumns(tag: TagValue, source: TagSource): TagRowColumns {
  return typeof tag.value === "number"
    ? { key: tag.key, numberValue: tag.value, textValue: null, unit: tag.unit, source }
    : { key: tag.key, numberValue: null, textValue: tag.value, unit: null, source };
}

/** The value of a stored row (a row with neither column reads as an empty text). */
export function tagValueOfRow(row: { numberValue: number | null; textValue: string | null }): number | string {
  return row.numberValue ?? row.textValue ?? "";
}

/** The columns a tag read needs. */
export const TAG_ROW_SELECT = { key: true, numberValue: true, textValue: true, unit: true } as const;
