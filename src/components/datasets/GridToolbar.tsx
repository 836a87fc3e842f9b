"use client";

import { LABEL_FILTERS, SORTS, type GridFilter, type GridSort, type LabelFilter } from "./grid-filters";

const LABEL_FILTER_TEXT: Record<LabelFilter, string> = {
  any: "labelled or not",
  labelled: "labelled",
  unlabelled: "unlabelled",
};
const SORT_TEXT: Record<GridSort, string> = {
  upload: "upload order",
  "confidence-desc": "confidence, high first",
  "confidence-asc": "confidence, low first",
  name: "file name",
};

/** Filters, sort, and labelling of the selection (keys 1–9 while images are selected). */
export function GridToolbar(props: {
  filter: GridFilter;
  onFilter: (filter: GridFilter) => void;
  classNames: string[];
  shown: number;
  total: number;
  selectedCount: number;
  onSelectAll: () => void;
  onClearSelection: () => void;
  classes: { id: string; name: string; color: string }[];
  canLabel: boolean;
  onLabelSelection: (labelClassId: string | null) => void;
  labelling: boolean;
}) {
  const { filter } = props;
  return (
    <div style={{ display: "grid", gap: 8, marginBottom: 12 }}>
      <div className="row" data-testid="grid-filters">
        <select
          aria-label="Filter by class"
          data-testid="filter-class"
          value={filter.className ?? ""}
          onChange={(e) => props.onFilter({ ...filter, className: e.target.value || null })}
        >
          <option value="">all classes</option>
          {props.classNames.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
        <select
          aria-label="Filter by label"
          data-testid="filter-label"
          value={filter.label}
          onChange={(e) => props.onFilter({ ...filter, label: e.target.value as LabelFilter })}
        >
          {LABEL_FILTERS.map((value) => (
            <option key={value} value={value}>
              {LABEL_FILTER_TEXT[value]}
            </option>
          ))}
        </select>
        <label className="row muted" style={{ gap: 4 }}>
          <input
            type="checkbox"
            data-testid="filter-disagree"
            checked={filter.disagreeing}
            onChange={(e) => props.onFilter({ ...filter, disagreeing: e.target.checked })}
          />
          prediction ≠ label
        </label>
        <label className="row muted" style={{ gap: 4 }}>
          sort by
          <select
            aria-label="Sort"
            data-testid="grid-sort"
            value={filter.sort}
            onChange={(e) => props.onFilter({ ...filter, sort: e.target.value as GridSort })}
          >
            {SORTS.map((value) => (
              <option key={value} value={value}>
                {SORT_TEXT[value]}
              </option>
            ))}
          </select>
        </label>
        <span className="muted">
          {props.shown} of {props.total} shown
        </span>
      </div>
      <div className="row" data-testid="selection-bar">
        <span className="muted" data-testid="selection-count">
          {props.selectedCount} selected
        </span>
        <button type="button" onClick={props.onSelectAll} title="Ctrl+A in the grid">
          Select all shown
        </button>
        <button type="button" onClick={props.onClearSelection} disabled={props.selectedCount === 0} title="Escape">
          Clear
        </button>
        {props.canLabel && props.selectedCount > 0 && (
          <>
            <span className="muted">Label selected as:</span>
            {props.classes.map((labelClass, index) => (
              <button
                key={labelClass.id}
                type="button"
                data-testid={`label-selection-${labelClass.name}`}
                disabled={props.labelling}
                onClick={() => props.onLabelSelection(labelClass.id)}
                title={index < 9 ? `Key ${index + 1}` : undefined}
              >
                <span
                  style={{
                    display: "inline-block",
                    width: 10,
                    height: 10,
                    borderRadius: 5,
                    background: labelClass.color,
                    marginRight: 6,
                  }}
                />
                {labelClass.name}
                {index < 9 && <kbd style={{ opacity: 0.6, fontSize: "0.7rem", marginLeft: 4 }}>{index + 1}</kbd>}
              </button>
            ))}
            <button type="button" disabled={props.labelling} onClick={() => props.onLabelSelection(null)} title="Key 0">
              Clear label <kbd style={{ opacity: 0.6, fontSize: "0.7rem" }}>0</kbd>
            </button>
          </>
        )}
        {props.canLabel && props.selectedCount > 0 && props.classes.length === 0 && (
          <span className="muted">Add label classes on the project page to label images.</span>
        )}
      </div>
    </div>
  );
}
