/**
 * The dataset grid's filters and sort, pure so they are tested without a browser.
 */
import { parseQuantity } from "~/core/conditions/quantity";
import { formatTagValue, normaliseTagKey, type TagValue } from "~/core/conditions/tags";

export type GridItem = {
  id: string;
  fileName: string;
  createdAt: Date;
  prediction: string | null;
  confidence: number | null;
  /** Why the prediction is reported "uncertain" (the project's settings), or null/absent. */
  uncertainReason?: string | null;
  labelClassId: string | null;
  labelName: string | null;
  /** Condition tags (capacity, cycles...); absent = none. */
  tags?: readonly TagValue[];
};

export const LABEL_FILTERS = ["any", "labelled", "unlabelled"] as const;
export type LabelFilter = (typeof LABEL_FILTERS)[number];
export const SORTS = ["upload", "confidence-desc", "confidence-asc", "name"] as const;
export type GridSort = (typeof SORTS)[number];

export type GridFilter = {
  /** Predicted or labelled class name; null = any. */
  className: string | null;
  label: LabelFilter;
  /** Only images whose prediction differs from their label. */
  disagreeing: boolean;
  sort: GridSort;
  /** Only images with this condition; an empty value = any value of the key. */
  tag?: { key: string; value: string } | null;
};

export const DEFAULT_GRID_FILTER: GridFilter = {
  className: null,
  label: "any",
  disagreeing: false,
  sort: "upload",
};

/** The class filter value that shows the images whose prediction is "uncertain". */
export const UNCERTAIN_CLASS = "uncertain";

/** Class names are compared without case: "dendritic" predicted and "Dendritic" labelled agree. */
const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export function disagrees(item: GridItem): boolean {
  return item.prediction !== null && item.labelName !== null && !same(item.prediction, item.labelName);
}

export function filterAndSort(items: readonly GridItem[], filter: GridFilter): GridItem[] {
  const shown = items.filter((item) => {
    if (filter.className !== null) {
      const matches =
        (filter.className === UNCERTAIN_CLASS && Boolean(item.uncertainReason)) ||
        (item.prediction !== null && same(item.prediction, filter.className)) ||
        (item.labelName !== null && same(item.labelName, filter.className));
      if (!matches) return false;
    }
    if (filter.label === "labelled" && item.labelClassId === null) return false;
    if (filter.label === "unlabelled" && item.labelClassId !== null) return false;
    if (filter.disagreeing && !disagrees(item)) return false;
    if (filter.tag && filter.tag.key !== "" && !hasTag(item, filter.tag)) return false;
    return true;
  });
  const byConfidence = (direction: 1 | -1) => (a: GridItem, b: GridItem) => {
    // Images without a prediction go last either way.
    if (a.confidence === null || b.confidence === null)
      return a.confidence === null ? (b.confidence === null ? 0 : 1) : -1;
    return direction * (a.confidence - b.confidence);
  };
  switch (filter.sort) {
    case "confidence-desc":
      return shown.sort(byConfidence(-1));
    case "confidence-asc":
      return shown.sort(byConfidence(1));
    case "name":
      return shown.sort((a, b) => a.fileName.localeCompare(b.fileName));
    case "upload":
      return shown.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }
}

/**
 * Whether the item has the condition `key` = `value`: "8", "8 mAh" and "8.0" all match 8 mAh,
 * texts match without case; an empty value matches any value of the key.
 */
export function hasTag(item: Pick<GridItem, "tags">, filter: { key: string; value: string }): boolean {
  const key = normaliseTagKey(filter.key);
  const tag = item.tags?.find((candidate) => candidate.key === key);
  if (!tag) return false;
  const wanted = filter.value.trim();
  if (wanted === "") return true;
  if (typeof tag.value === "string") return same(tag.value, wanted);
  const quantity = parseQuantity(wanted);
  if (quantity === null) return same(formatTagValue(tag), wanted);
  return quantity.value === tag.value && (quantity.unit === null || same(quantity.unit, tag.unit ?? ""));
}

/** Index moved by an arrow key in a grid of `columns` columns, clamped to the items. */
export function moveFocus(index: number, key: string, columns: number, count: number): number {
  const delta =
    key === "ArrowRight"
      ? 1
      : key === "ArrowLeft"
        ? -1
        : key === "ArrowDown"
          ? columns
          : key === "ArrowUp"
            ? -columns
            : key === "Home"
              ? -index
              : key === "End"
                ? count - 1 - index
                : 0;
  return Math.max(0, Math.min(count - 1, index + delta));
}
