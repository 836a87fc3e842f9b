"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useCallback, useMemo, useState } from "react";
import { errorMessage } from "~/components/error-message";
import { OBJECT_DESCRIPTOR_NAMES, type ObjectDescriptor } from "~/core/results/object-descriptors";
import { type GroupBy, groupRows, overlaidHistograms } from "~/core/results/plot-stats";
import type { ResultColumn } from "~/core/results/result-columns";
import { useTRPC } from "~/trpc/react";
import { boxPlotOptions, histogramOptions, type ImagePoint, scatterOptions } from "./chart-specs";
import { PlotFigure } from "./PlotFigure";
import type { ResultRow } from "./use-result-rows";

type Kind = "box" | "scatter" | "histogram";

const fmt = (value: number) => (Math.abs(value) >= 1000 || value === 0 ? value.toFixed(0) : value.toPrecision(4));

function ColumnSelect(props: {
  label: string;
  columns: readonly ResultColumn[];
  value: string;
  onChange: (key: string) => void;
}) {
  return (
    <label>
      {props.label}{" "}
      <select aria-label={props.label} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {props.columns.map((column) => (
          <option key={column.key} value={column.key}>
            {column.label}
            {column.unit ? ` (${column.unit})` : ""}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * Plots of the (filtered) rows by group: a box/strip plot of any measurement, a scatter of two,
 * or overlaid histograms of an object descriptor (sampled per image by results.objectDescriptors).
 * Clicking an image's point opens its workspace.
 */
export function ResultsPlots(props: {
  projectId: string;
  datasetId?: string;
  settingsVersion?: number;
  rows: readonly ResultRow[];
  columns: readonly ResultColumn[];
  groupBy: GroupBy;
  groupLabel: string;
  /** Whether an image (its dataset and tags) passes the table's filter. */
  keep: (row: Pick<ResultRow, "dataset" | "tags">) => boolean;
}) {
  const { projectId, rows, columns, groupBy } = props;
  const router = useRouter();
  const [kind, setKind] = useState<Kind>("box");
  const [yKey, setYKey] = useState("");
  const [xKey, setXKey] = useState("");
  const [descriptor, setDescriptor] = useState<ObjectDescriptor>("equivalent_diameter");
  const [unit, setUnit] = useState<"px" | "µm">("px");
  const column = (key: string, fallback: number) =>
    columns.find((c) => c.key === key) ?? columns[Math.min(fallback, columns.length - 1)];
  const y = column(yKey, 0);
  const x = column(xKey, 1);
  const open = useCallback(
    (point: { imageId?: string }) => {
      if (point.imageId) router.push(`/projects/${projectId}/images/${point.imageId}`);
    },
    [router, projectId],
  );

  const box = useMemo(() => {
    if (kind !== "box" || !y) return null;
    const groups = groupRows(rows, groupBy).map((g) => ({
      group: g.group,
      points: g.rows.flatMap((row) => {
        const value = row.values[y.key];
        return value === undefined ? [] : [{ imageId: row.imageId, file: row.file, value }];
      }),
    }));
    return boxPlotOptions({ groups, label: y.label, unit: y.unit, groupLabel: props.groupLabel });
  }, [kind, y, rows, groupBy, props.groupLabel]);

  const scatter = useMemo(() => {
    if (kind !== "scatter" || !x || !y) return null;
    const groups = groupRows(rows, groupBy);
    const points: ImagePoint[] = groups.flatMap((g) =>
      g.rows.flatMap((row) => {
        const [px, py] = [row.values[x.key], row.values[y.key]];
        return px === undefined || py === undefined
          ? []
          : [{ imageId: row.imageId, file: row.file, group: g.group, x: px, y: py }];
      }),
    );
    return scatterOptions({ points, groups: groups.map((g) => g.group), x, y });
  }, [kind, x, y, rows, groupBy]);

  const trpc = useTRPC();
  const descriptors = useQuery(
    trpc.results.objectDescriptors.queryOptions(
      {
        projectId,
        datasetId: props.datasetId,
        settingsVersion: props.settingsVersion,
        descriptor,
        unit,
        maxPerImage: 500,
      },
      { enabled: kind === "histogram" },
    ),
  );
  const { keep } = props;
  const histogram = useMemo(() => {
    if (kind !== "histogram" || !descriptors.data) return null;
    const groups = groupRows(descriptors.data.images.filter(keep), groupBy).map((g) => ({
      group: g.group,
      values: g.rows.flatMap((image) => image.values),
    }));
    const names = groups.map((g) => g.group);
    return histogramOptions({
      bins: overlaidHistograms(groups),
      groups: names,
      label: descriptor.replaceAll("_", " "),
      unit: descriptors.data.unit,
    });
  }, [kind, descriptors.data, keep, groupBy, descriptor]);

  return (
    <section className="panel" data-testid="results-plots">
      <h2>Plots</h2>
      <div className="row" style={{ marginBottom: 8 }}>
        <label>
          Plot{" "}
          <select aria-label="Plot kind" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
            <option value="box">Box / strip by group</option>
            <option value="scatter">Scatter of two measurements</option>
            <option value="histogram">Histograms of an object descriptor</option>
          </select>
        </label>
        {kind === "scatter" && x && <ColumnSelect label="X" columns={columns} value={x.key} onChange={setXKey} />}
        {kind !== "histogram" && y && (
          <ColumnSelect
            label={kind === "box" ? "Measurement" : "Y"}
            columns={columns}
            value={y.key}
            onChange={setYKey}
          />
        )}
        {kind === "histogram" && (
          <>
            <label>
              Descriptor{" "}
              <select
                aria-label="Object descriptor"
                value={descriptor}
                onChange={(e) => setDescriptor(e.target.value as ObjectDescriptor)}
              >
                {OBJECT_DESCRIPTOR_NAMES.map((name) => (
                  <option key={name} value={name}>
                    {name.replaceAll("_", " ")}
                  </option>
                ))}
              </select>
            </label>
            <select aria-label="Unit" value={unit} onChange={(e) => setUnit(e.target.value as "px" | "µm")}>
              <option value="px">pixels</option>
              <option value="µm">µm (images with a pixel size)</option>
            </select>
          </>
        )}
      </div>
      {columns.length === 0 && kind !== "histogram" && (
        <p className="muted">No image reports numbers under these settings yet: analyse a dataset first.</p>
      )}
      {box && (
        <>
          <PlotFigure options={box.plot} fileName={`box-${y?.key ?? "plot"}`} onPick={open} testId="box-plot" />
          <table style={{ marginTop: 8 }} data-testid="box-stats">
            <thead>
              <tr>
                <th>{props.groupLabel}</th>
                <th>n</th>
                <th>mean</th>
                <th>SD</th>
                <th>median</th>
                <th>Q1</th>
                <th>Q3</th>
                <th>min</th>
                <th>max</th>
              </tr>
            </thead>
            <tbody>
              {box.stats.map(({ group, stats }) => (
                <tr key={group}>
                  <td>{group}</td>
                  <td>{stats?.n ?? 0}</td>
                  {stats
                    ? [stats.mean, stats.sd, stats.median, stats.q1, stats.q3, stats.min, stats.max].map((v, i) => (
                        <td key={i}>{fmt(v)}</td>
                      ))
                    : null}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {scatter && (
        <PlotFigure options={scatter} fileName={`scatter-${x?.key}-${y?.key}`} onPick={open} testId="scatter-plot" />
      )}
      {kind === "histogram" && descriptors.error && <p className="error">{errorMessage(descriptors.error)}</p>}
      {kind === "histogram" && descriptors.isPending && <p className="muted">Loading objects…</p>}
      {histogram && descriptors.data && (
        <>
          <PlotFigure options={histogram} fileName={`histogram-${descriptor}`} testId="histogram-plot" />
          <p className="muted" data-testid="histogram-sample">
            {descriptors.data.sampledValues} of {descriptors.data.totalObjects} objects of{" "}
            {descriptors.data.images.length} images (at most {descriptors.data.perImageLimit} per image, evenly sampled)
            {descriptors.data.imagesWithoutPixelSize > 0
              ? `; ${descriptors.data.imagesWithoutPixelSize} images without a pixel size left out`
              : ""}
            .
          </p>
        </>
      )}
    </section>
  );
}
