/**
 * The results view's charts as Observable Plot options, from the statistics of
 * src/core/results/plot-stats.ts (so what is drawn is what is tested): box/strip plots of one
 * measurement per group (every image a point, box = quartiles, whiskers = 1.5 IQR, red diamond
 * and bar = mean ± SD), scatter plots of two measurements coloured by group, and overlaid
 * histograms of an object descriptor per group (each group's share of its own objects per bin).
 * Legends are text marks inside the SVG, so a downloaded chart keeps them.
 */
import * as Plot from "@observablehq/plot";
import { boxStats, type HistogramBin } from "~/core/results/plot-stats";

export const PALETTE = [
  "#2e5bff",
  "#e4572e",
  "#1f8a4c",
  "#9c27b0",
  "#f2a900",
  "#00a6b4",
  "#8d6e63",
  "#d81b60",
  "#546e7a",
  "#7cb342",
];

/** One image as a point: where it is drawn and what a click opens. */
export type ImagePoint = { imageId: string; file: string; group: string; x: number; y: number };

const WIDTH = 900;

function axisLabel(label: string, unit: string | null): string {
  return unit ? `${label} (${unit})` : label;
}

/** Text marks naming each group in its colour, top right inside the frame. */
function legendMarks(groups: readonly string[]): Plot.Markish[] {
  if (groups.length < 2) return [];
  return groups.slice(0, 12).map((group, i) =>
    Plot.text([`● ${group}`], {
      frameAnchor: "top-right",
      dx: -6,
      dy: 6 + i * 13,
      fill: PALETTE[i % PALETTE.length],
      fontWeight: 600,
    }),
  );
}

/** Evenly spread offsets in -0.25..0.25 for the k-th point of a group (golden-ratio sequence). */
const jitter = (k: number) => (((k * 0.6180339887) % 1) - 0.5) * 0.5;

export function boxPlotOptions(options: {
  groups: readonly { group: string; points: readonly { imageId: string; file: string; value: number }[] }[];
  label: string;
  unit: string | null;
  groupLabel: string;
}): { plot: Plot.PlotOptions; stats: { group: string; stats: ReturnType<typeof boxStats> }[] } {
  const { groups } = options;
  const stats = groups.map((g) => ({ group: g.group, stats: boxStats(g.points.map((p) => p.value)) }));
  const boxes = stats.flatMap((s, i) => (s.stats ? [{ i, group: s.group, ...s.stats }] : []));
  const points: ImagePoint[] = groups.flatMap((g, i) =>
    g.points.map((p, k) => ({ imageId: p.imageId, file: p.file, group: g.group, x: i + jitter(k), y: p.value })),
  );
  const names = groups.map((g) => g.group);
  const rotate = names.length > 6 || names.some((name) => name.length > 14);
  return {
    stats,
    plot: {
      width: WIDTH,
      height: 420,
      marginTop: 28,
      marginBottom: rotate ? 90 : 40,
      marginLeft: 60,
      x: {
        domain: [-0.6, Math.max(0, names.length - 1) + 0.6],
        ticks: names.map((_, i) => i),
        tickFormat: (i: number) => names[i] ?? "",
        tickRotate: rotate ? -30 : 0,
        label: options.groupLabel,
      },
      y: { label: axisLabel(options.label, options.unit), grid: true, nice: true },
      marks: [
        Plot.rect(boxes, {
          x1: (b) => b.i - 0.3,
          x2: (b) => b.i + 0.3,
          y1: "q1",
          y2: "q3",
          fill: "#dbe4ff",
          stroke: "#2e5bff",
        }),
        Plot.ruleX(boxes, { x: "i", y1: "whiskerLow", y2: "q1", stroke: "#2e5bff" }),
        Plot.ruleX(boxes, { x: "i", y1: "q3", y2: "whiskerHigh", stroke: "#2e5bff" }),
        Plot.ruleY(boxes, {
          y: "median",
          x1: (b) => b.i - 0.3,
          x2: (b) => b.i + 0.3,
          stroke: "#1d2330",
          strokeWidth: 2,
        }),
        Plot.ruleX(boxes, {
          x: (b) => b.i + 0.4,
          y1: (b) => b.mean - b.sd,
          y2: (b) => b.mean + b.sd,
          stroke: "#c0362c",
        }),
        Plot.dot(boxes, { x: (b) => b.i + 0.4, y: "mean", symbol: "diamond", fill: "#c0362c", r: 4 }),
        Plot.dot(points, {
          x: "x",
          y: "y",
          r: 3,
          fill: "#1d2330",
          fillOpacity: 0.55,
          tip: true,
          channels: { image: "file", group: "group" },
        }),
        Plot.text(["box: quartiles · whiskers: 1.5 IQR · ◆ and bar: mean ± SD · dots: images"], {
          frameAnchor: "top-right",
          dy: -20,
          fill: "#667085",
        }),
      ],
    },
  };
}

export function scatterOptions(options: {
  points: readonly ImagePoint[];
  groups: readonly string[];
  x: { label: string; unit: string | null };
  y: { label: string; unit: string | null };
}): Plot.PlotOptions {
  return {
    width: WIDTH,
    height: 480,
    marginLeft: 60,
    grid: true,
    x: { label: axisLabel(options.x.label, options.x.unit), nice: true },
    y: { label: axisLabel(options.y.label, options.y.unit), nice: true },
    color: { domain: [...options.groups], range: PALETTE },
    marks: [
      Plot.dot(options.points, {
        x: "x",
        y: "y",
        r: 4,
        fill: "group",
        fillOpacity: 0.75,
        tip: true,
        channels: { image: "file", group: "group" },
      }),
      ...legendMarks(options.groups),
    ],
  };
}

export function histogramOptions(options: {
  bins: readonly HistogramBin[];
  groups: readonly string[];
  label: string;
  unit: string | null;
}): Plot.PlotOptions {
  return {
    width: WIDTH,
    height: 420,
    marginLeft: 60,
    x: { label: axisLabel(options.label, options.unit) },
    y: { label: "Share of the group's objects", grid: true, percent: true },
    color: { domain: [...options.groups], range: PALETTE },
    marks: [
      Plot.rect(options.bins, {
        x1: "x1",
        x2: "x2",
        y1: 0,
        y2: "fraction",
        fill: "group",
        fillOpacity: 0.3,
        stroke: "group",
        tip: true,
        channels: { group: "group", objects: "count" },
      }),
      Plot.ruleY([0]),
      ...legendMarks(options.groups),
    ],
  };
}
