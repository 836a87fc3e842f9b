"use client";

import Link from "next/link";
import { useMemo, useState } from "react";
import { formatTagValue } from "~/core/conditions/tags";
import type { ResultColumn } from "~/core/results/result-columns";
import type { ResultRow } from "./use-result-rows";

const SHOWN_MAX = 500;

type SortKey =
  { kind: "field"; field: "file" | "dataset" | "prediction" | "status" } | { kind: "tag" | "value"; key: string };

function sortValue(row: ResultRow, key: SortKey): number | string | undefined {
  if (key.kind === "field") return row[key.field] ?? undefined;
  if (key.kind === "tag") return row.tags[key.key]?.value;
  return row.values[key.key];
}

/** Missing values last, numbers before texts. */
function compare(a: number | string | undefined, b: number | string | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

const sameKey = (a: SortKey, b: SortKey) =>
  a.kind === b.kind && (a.kind === "field" ? a.field === (b as typeof a).field : a.key === (b as typeof a).key);

/**
 * One row per image, one column per condition tag and per measurement (label and unit in the
 * header); click a header to sort (again to reverse). Opens an image's workspace from its name.
 */
export function ResultsTable({
  projectId,
  rows,
  columns,
  tagKeys,
}: {
  projectId: string;
  rows: readonly ResultRow[];
  columns: readonly ResultColumn[];
  tagKeys: readonly string[];
}) {
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({
    key: { kind: "field", field: "file" },
    descending: false,
  });
  const sorted = useMemo(() => {
    const out = [...rows].sort((a, b) => compare(sortValue(a, sort.key), sortValue(b, sort.key)));
    return sort.descending ? out.reverse() : out;
  }, [rows, sort]);

  const header = (key: SortKey, title: string, unit?: string | null) => {
    const active = sameKey(sort.key, key);
    return (
      <th
        key={`${key.kind}:${key.kind === "field" ? key.field : key.key}`}
        aria-sort={active ? (sort.descending ? "descending" : "ascending") : "none"}
        style={{ cursor: "pointer", whiteSpace: "nowrap" }}
        onClick={() => setSort({ key, descending: active ? !sort.descending : false })}
      >
        {title}
        {unit ? <span className="muted"> ({unit})</span> : null}
        {active ? (sort.descending ? " ▼" : " ▲") : ""}
      </th>
    );
  };

  return (
    <div style={{ overflowX: "auto" }}>
      <table data-testid="results-table">
        <thead>
          <tr>
            {header({ kind: "field", field: "file" }, "Image")}
            {header({ kind: "field", field: "dataset" }, "Dataset")}
            {tagKeys.map((key) => header({ kind: "tag", key }, key))}
            {header({ kind: "field", field: "prediction" }, "Prediction")}
            {columns.map((column) => header({ kind: "value", key: column.key }, column.label, column.unit))}
            {header({ kind: "field", field: "status" }, "Status")}
          </tr>
        </thead>
        <tbody>
          {sorted.slice(0, SHOWN_MAX).map((row) => (
            <tr key={row.imageId} data-testid="results-row">
              <td>
                <Link href={`/projects/${projectId}/images/${row.imageId}`}>{row.file}</Link>
              </td>
              <td>{row.dataset}</td>
              {tagKeys.map((key) => (
                <td key={key}>{row.tags[key] ? formatTagValue(row.tags[key]) : ""}</td>
              ))}
              <td>
                {row.prediction ?? ""}
                {row.uncertainReason && (
                  <>
                    {" "}
                    <span className="badge" data-testid="results-uncertain" title={row.uncertainReason}>
                      uncertain
                    </span>
                  </>
                )}
              </td>
              {columns.map((column) => (
                <td key={column.key} style={{ textAlign: "right" }}>
                  {row.values[column.key] ?? ""}
                </td>
              ))}
              <td className={row.status === "ok" ? undefined : "muted"}>{row.status}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {sorted.length > SHOWN_MAX && (
        <p className="muted">
          Showing {SHOWN_MAX} of {sorted.length} images (sorted); the CSV has them all.
        </p>
      )}
    </div>
  );
}
