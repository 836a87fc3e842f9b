"use client";

import { ChoiceSelect } from "~/components/choice-select";
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
        <ChoiceSelect
          label="Filter by class"
          testId="filter-class"
          value={filter.className ?? ""}
          options={props.classNames}
          onChange={(className) => props.onFilter({ ...filter, className: className || null })}
        >
          <option value="">all classes</option>
        </ChoiceSelect>
        <ChoiceSelect
          label="Filter by label"
          testId="filter-label"
          value={filter.label}
          options={LABEL_FILTERS}
          text={(label) => LABEL_FILTER_TEXT[label]}
          onChange={(label) => props.onFilter({ ...filter, label })}
        />
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
          <ChoiceSelect
            label="Sort"
            testId="grid-sort"
            value={filter.sort}
            options={SORTS}
            text={(sort) => SORT_TEXT[sort]}
            onChange={(sort) => props.onFilter({ ...filter, sort })}
          />
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
