"use client";

import { useEffect, useMemo, useRef, useState } from "react";
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

/**
 * Per-object descriptors, one row per object; a header click sorts by that column (again:
 * reverses), a row click selects the object (highlighted on the canvas), and an object picked on
 * the canvas scrolls its row into view.
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
  const scrollRef = useRef<HTMLDivElement>(null);
  // Bring the selected row into the table's view (scrolling the table only, never the page).
  useEffect(() => {
    const box = scrollRef.current;
    if (props.selected === null || !box) return;
    const row = box.querySelector<HTMLElement>(`tr[data-label="${props.selected}"]`);
    if (!row) return;
    const header = box.querySelector("thead")?.getBoundingClientRect().height ?? 0;
    if (row.offsetTop - header < box.scrollTop) box.scrollTop = row.offsetTop - header;
    else if (row.offsetTop + row.offsetHeight > box.scrollTop + box.clientHeight)
      box.scrollTop = row.offsetTop + row.offsetHeight - box.clientHeight;
  }, [props.selected]);

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
      style={{
        position: "relative",
        maxHeight: 320,
        overflow: "auto",
        border: "1px solid var(--line)",
        borderRadius: 6,
      }}
    >
      <table data-testid="objects-table" style={{ width: "100%", borderCollapse: "collapse", fontSize: "0.78rem" }}>
        <thead>
          <tr>
            {header("label", "#")}
            {DESCRIPTOR_IDS.map((id) => header(id, descriptorHeader(id, units)))}
          </tr>
        </thead>
        <tbody>
          {rows.map((record) => {
            const isSelected = record.label === props.selected;
            return (
              <tr
                key={record.label}
                data-testid="object-row"
                data-label={record.label}
                data-cx={(record.centroid[1] + 0.5) * props.toImage.x}
                data-cy={(record.centroid[0] + 0.5) * props.toImage.y}
                aria-selected={isSelected}
                tabIndex={0}
                onClick={() => props.onSelect(isSelected ? null : record.label)}
                onKeyDown={(event) => {
                  if (event.key === "Enter" || event.key === " ") {
                    event.preventDefault();
                    props.onSelect(isSelected ? null : record.label);
                  }
                }}
                style={{
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
        </tbody>
      </table>
    </div>
  );
}
