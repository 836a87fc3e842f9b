"use client";

import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import {
  DESCRIPTOR_IDS,
  descriptorHeader,
  descriptorValue,
  formatValue,
  sortObjects,
  type ObjectRecord,
  type ObjectUnits,
  type SortOrder,
} from "./object-set";
import { ROW_HEIGHT, rowAfterKey, rowWindow, scrollToRow } from "./table-window";

/** Height of the table's view, px. */
const VIEW_HEIGHT = 320;

/**
 * Per-object descriptors, one row per object; a header click sorts by that column (again:
 * reverses), a row click selects the object (highlighted on the canvas), an object picked on
 * the canvas scrolls its row into view, and the arrow keys (Page Up/Down, Home, End) move the
 * selection. Only the rows in view are drawn, so 100 000 objects scroll like 10.
 */
export function ObjectsTable(props: {
  objects: readonly ObjectRecord[];
  units: ObjectUnits;
  /** Image pixels per label-map pixel, for the rows' centroid attributes. */
  toImage: { x: number; y: number };
  selected: number | null;
  onSelect: (label: number | null) => void;
}) {
  const { units } = props;
  const [order, setOrder] = useState<SortOrder>({ by: "label", direction: "ascending" });
  const rows = useMemo(() => sortObjects(props.objects, order, units), [props.objects, order, units]);
  const selectedIndex = useMemo(
    () => (props.selected === null ? -1 : rows.findIndex((r) => r.label === props.selected)),
    [rows, props.selected],
  );
  const scrollRef = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ scrollTop: 0, height: VIEW_HEIGHT });
  const { start, end } = rowWindow(rows.length, view.scrollTop, view.height);
  // Bring the selected row into the table's view (scrolling the table only, never the page).
  useEffect(() => {
    const box = scrollRef.current;
    if (selectedIndex < 0 || !box) return;
    const header = box.querySelector("thead")?.getBoundingClientRect().height ?? 0;
    const top = scrollToRow(selectedIndex, box.scrollTop, box.clientHeight, header);
    if (top !== box.scrollTop) {
      box.scrollTop = top;
      setView({ scrollTop: box.scrollTop, height: box.clientHeight });
    }
  }, [selectedIndex]);
  // After a keyboard move, the focus follows the selection (its row is drawn by then).
  const focusSelected = useRef(false);
  useEffect(() => {
    if (!focusSelected.current || props.selected === null) return;
    focusSelected.current = false;
    scrollRef.current?.querySelector<HTMLElement>(`tr[data-label="${props.selected}"]`)?.focus({ preventScroll: true });
  });
  const onKeyDown = (event: KeyboardEvent) => {
    const pageRows = Math.max(1, Math.floor(view.height / ROW_HEIGHT) - 1);
    const next = rowAfterKey(event.key, selectedIndex, rows.length, pageRows);
    if (next === null) return;
    event.preventDefault();
    focusSelected.current = true;
    props.onSelect(rows[next]!.label);
  };

  const sortBy = (by: SortOrder["by"]) =>
    setOrder((current) =>
      current.by === by
        ? { by, direction: current.direction === "ascending" ? "descending" : "ascending" }
        : { by, direction: by === "label" ? "ascending" : "descending" },
    );
  const header = (by: SortOrder["by"], text: string) => (
    <th
      key={by}
      aria-sort={order.by === by ? order.direction : "none"}
      style={{ position: "sticky", top: 0, background: "var(--panel, #fff)", textAlign: "right" }}
    >
      <button
        type="button"
        data-testid={`objects-sort-${by}`}
        onClick={() => sortBy(by)}
        style={{ padding: "2px 4px", fontSize: "0.75rem", whiteSpace: "nowrap" }}
      >
        {text}
        {order.by === by ? (order.direction === "ascending" ? " ▲" : " ▼") : ""}
      </button>
    </th>
  );

  return (
    <div
      ref={scrollRef}
      onScroll={(event) =>
        setView({ scrollTop: event.currentTarget.scrollTop, height: event.currentTarget.clientHeight })
      }
      onKeyDown={onKeyDown}
      style={{
        position: "relative",
        maxHeight: VIEW_HEIGHT,
        overflow: "auto",
        border: "1px solid var(--line)",
        borderRadius: 6,
      }}
    >
      <table
        data-testid="objects-table"
        aria-rowcount={rows.length + 1}
        style={{ width: "100%", borderCollapse: "collapse", fontSize: "0.78rem" }}
      >
        <thead>
          <tr>
            {header("label", "#")}
            {DESCRIPTOR_IDS.map((id) => header(id, descriptorHeader(id, units)))}
          </tr>
        </thead>
        <tbody>
          {start > 0 && <tr aria-hidden style={{ height: start * ROW_HEIGHT }} />}
          {rows.slice(start, end).map((record, i) => {
            const isSelected = record.label === props.selected;
            // One row in the tab order: the selected one, else the first drawn.
            const tabbable = isSelected || (selectedIndex < 0 && i === 0);
            return (
              <tr
                key={record.label}
                data-testid="object-row"
                data-label={record.label}
                data-cx={(record.centroid[1] + 0.5) * props.toImage.x}
                data-cy={(record.centroid[0] + 0.5) * props.toImage.y}
                aria-selected={isSelected}
                aria-rowindex={start + i + 2}
                tabIndex={tabbable ? 0 : -1}
                onClick={() => props.onSelect(isSelected ? null : record.label)}
                onKeyDown={(event) => {
                  if (event.key === "Enter" || event.key === " ") {
                    event.preventDefault();
                    props.onSelect(isSelected ? null : record.label);
                  }
                }}
                style={{
                  height: ROW_HEIGHT,
                  whiteSpace: "nowrap",
                  cursor: "pointer",
                  background: isSelected ? "rgba(0, 160, 200, 0.2)" : undefined,
                  borderTop: "1px solid var(--line)",
                }}
              >
                <td style={{ textAlign: "right", padding: "2px 4px" }}>{record.label}</td>
                {DESCRIPTOR_IDS.map((id) => (
                  <td key={id} data-column={id} style={{ textAlign: "right", padding: "2px 4px" }}>
                    {formatValue(descriptorValue(record, id, units))}
                  </td>
                ))}
              </tr>
            );
          })}
          {end < rows.length && <tr aria-hidden style={{ height: (rows.length - end) * ROW_HEIGHT }} />}
        </tbody>
      </table>
    </div>
  );
}
