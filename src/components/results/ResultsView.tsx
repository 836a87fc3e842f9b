"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useCallback, useMemo, useState } from "react";
import { errorMessage } from "~/components/error-message";
import { ScopeSelects } from "~/components/exports/ScopeSelects";
import { type GroupBy, groupOf } from "~/core/results/plot-stats";
import { useTRPC } from "~/trpc/react";
import { ResultsPlots } from "./ResultsPlots";
import { ResultsTable } from "./ResultsTable";
import { type ResultRow, useResultRows } from "./use-result-rows";

/**
 * The results view of a project (or one dataset): every image's numbers under one settings
 * version (the same rows as results.csv), filtered by a condition tag, grouped by dataset or tag,
 * as a sortable table and as plots.
 */
export function ResultsView({ projectId, initialDatasetId }: { projectId: string; initialDatasetId?: string }) {
  const trpc = useTRPC();
  const project = useQuery(trpc.project.get.queryOptions({ projectId }));
  const [datasetId, setDatasetId] = useState(initialDatasetId ?? "");
  const [settingsVersion, setSettingsVersion] = useState("");
  const [group, setGroup] = useState("dataset");
  const [filter, setFilter] = useState<{ key: string; value: string }>({ key: "", value: "" });
  const scope = {
    projectId,
    datasetId: datasetId || undefined,
    settingsVersion: settingsVersion === "" ? undefined : Number(settingsVersion),
  };
  const results = useResultRows(scope);

  const groupBy: GroupBy =
    group === "none" ? { kind: "none" } : group === "dataset" ? { kind: "dataset" } : { kind: "tag", key: group };
  const groupLabel = group === "none" ? "" : group === "dataset" ? "Dataset" : group;
  const keep = useCallback(
    (row: Pick<ResultRow, "dataset" | "tags">) =>
      !filter.key || !filter.value || groupOf(row, { kind: "tag", key: filter.key }) === filter.value,
    [filter],
  );
  const rows = useMemo(() => results.rows.filter(keep), [results.rows, keep]);
  const filterValues = useMemo(
    () =>
      filter.key ? [...new Set(results.rows.map((row) => groupOf(row, { kind: "tag", key: filter.key })))].sort() : [],
    [results.rows, filter.key],
  );

  const query = new URLSearchParams();
  if (datasetId) query.set("datasetId", datasetId);
  if (settingsVersion) query.set("settingsVersion", settingsVersion);
  const csvHref = `/api/projects/${encodeURIComponent(projectId)}/exports/results.csv${query.size ? `?${query}` : ""}`;

  return (
    <>
      <p className="muted">
        <Link href="/projects">Projects</Link> /{" "}
        <Link href={`/projects/${projectId}`}>{project.data?.name ?? "…"}</Link> /
      </p>
      <h1>Results</h1>
      <section className="panel">
        <div className="row">
          <ScopeSelects
            projectId={projectId}
            scopeLabel="Results scope"
            datasetId={datasetId}
            onDatasetId={setDatasetId}
            settingsVersion={settingsVersion}
            onSettingsVersion={setSettingsVersion}
            settingsTestId="results-settings-version"
          />
          <label>
            Group by{" "}
            <select aria-label="Group by" value={group} onChange={(e) => setGroup(e.target.value)}>
              <option value="dataset">Dataset</option>
              <option value="none">Nothing (all images)</option>
              {results.tagKeys.map((key) => (
                <option key={key} value={key}>
                  Tag: {key}
                </option>
              ))}
            </select>
          </label>
          <label>
            Filter{" "}
            <select
              aria-label="Filter tag"
              value={filter.key}
              onChange={(e) => setFilter({ key: e.target.value, value: "" })}
            >
              <option value="">No filter</option>
              {results.tagKeys.map((key) => (
                <option key={key} value={key}>
                  {key}
                </option>
              ))}
            </select>
          </label>
          {filter.key && (
            <select
              aria-label="Filter value"
              value={filter.value}
              onChange={(e) => setFilter({ ...filter, value: e.target.value })}
            >
              <option value="">Any value</option>
              {filterValues.map((value) => (
                <option key={value} value={value}>
                  {value}
                </option>
              ))}
            </select>
          )}
          <a href={csvHref} download data-testid="results-csv">
            Table (CSV)
          </a>
        </div>
        <p className="muted" data-testid="results-summary">
          {rows.length} of {results.rows.length} images
          {results.settingsVersion !== undefined
            ? `, settings ${results.settingsVersion === 0 ? "defaults" : `v${results.settingsVersion}`}`
            : ""}
          {results.loading ? " (loading…)" : ""}
        </p>
        {results.error && <p className="error">{errorMessage(results.error)}</p>}
      </section>
      <ResultsPlots
        projectId={projectId}
        datasetId={scope.datasetId}
        settingsVersion={scope.settingsVersion}
        rows={rows}
        columns={results.columns}
        groupBy={groupBy}
        groupLabel={groupLabel}
        keep={keep}
      />
      <section className="panel">
        <h2>Table</h2>
        <ResultsTable projectId={projectId} rows={rows} columns={results.columns} tagKeys={results.tagKeys} />
      </section>
    </>
  );
}
