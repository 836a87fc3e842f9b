/**
 * The statistics the results view draws, pure so they are tested number for number:
 * - box plots: quartiles by linear interpolation between order statistics (Hyndman & Fan type 7,
 *   the default of R, NumPy and d3.quantile: q(p) = x[h] + (h - floor h)(x[h+1] - x[h]),
 *   h = (n - 1)p, 0-based), Tukey whiskers (the most extreme values within 1.5 IQR of the box),
 *   mean and sample standard deviation (n - 1);
 * - grouping rows by dataset or by a condition tag (numbers in numeric order);
 * - histograms of several groups over shared bins, each normalised to its own size (so groups of
 *   different sizes overlay comparably).
 */
import { formatTagValue } from "~/core/conditions/tags";

export type BoxStats = {
  n: number;
  mean: number;
  /** Sample standard deviation (n - 1); 0 for one value. */
  sd: number;
  min: number;
  max: number;
  q1: number;
  median: number;
  q3: number;
  /** Whisker ends: the lowest value >= q1 - 1.5 IQR, the highest <= q3 + 1.5 IQR. */
  whiskerLow: number;
  whiskerHigh: number;
  /** Values beyond the whiskers. */
  outliers: number;
};

/** Quantile `p` (0..1) of ascending `sorted` values, type 7. */
export function quantileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(h);
  const below = sorted[lo]!;
  return lo + 1 < sorted.length ? below + (h - lo) * (sorted[lo + 1]! - below) : below;
}

/** Box-plot statistics of the finite values, or null when there are none. */
export function boxStats(values: readonly number[]): BoxStats | null {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return null;
  const mean = sorted.reduce((sum, v) => sum + v, 0) / n;
  const sd = n > 1 ? Math.sqrt(sorted.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1)) : 0;
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  const fence = 1.5 * (q3 - q1);
  const inside = sorted.filter((v) => v >= q1 - fence && v <= q3 + fence);
  return {
    n,
    mean,
    sd,
    min: sorted[0]!,
    max: sorted[n - 1]!,
    q1,
    median: quantileSorted(sorted, 0.5),
    q3,
    whiskerLow: inside[0]!,
    whiskerHigh: inside[inside.length - 1]!,
    outliers: n - inside.length,
  };
}

/** What rows are grouped by: nothing, their dataset, or a condition tag's value. */
export type GroupBy = { kind: "none" } | { kind: "dataset" } | { kind: "tag"; key: string };

export type Groupable = {
  dataset: string;
  tags: Readonly<Record<string, { value: number | string; unit: string | null }>>;
};

export const ALL_IMAGES = "all images";

/** The group of one row ("(no capacity)" when it lacks the tag). */
export function groupOf(row: Groupable, by: GroupBy): string {
  if (by.kind === "none") return ALL_IMAGES;
  if (by.kind === "dataset") return row.dataset;
  const tag = row.tags[by.key];
  return tag ? formatTagValue(tag) : `(no ${by.key})`;
}

/**
 * The groups of `rows` in display order: by tag value (numbers numerically, then texts), rows
 * without the tag last; datasets by name. Each group keeps its rows in the given order.
 */
export function groupRows<Row extends Groupable>(rows: readonly Row[], by: GroupBy): { group: string; rows: Row[] }[] {
  const groups = new Map<string, { group: string; sortKey: [number, number, string]; rows: Row[] }>();
  for (const row of rows) {
    const group = groupOf(row, by);
    let entry = groups.get(group);
    if (!entry) {
      const tag = by.kind === "tag" ? row.tags[by.key] : undefined;
      const sortKey: [number, number, string] =
        by.kind !== "tag"
          ? [0, 0, group]
          : !tag
            ? [2, 0, group]
            : typeof tag.value === "number"
              ? [0, tag.value, tag.unit ?? ""]
              : [1, 0, tag.value];
      entry = { group, sortKey, rows: [] };
      groups.set(group, entry);
    }
    entry.rows.push(row);
  }
  return [...groups.values()]
    .sort((a, b) => {
      const [x, y] = [a.sortKey, b.sortKey];
      if (x[0] !== y[0]) return x[0] - y[0];
      if (x[1] !== y[1]) return x[1] - y[1];
      return x[2].localeCompare(y[2]);
    })
    .map(({ group, rows: grouped }) => ({ group, rows: grouped }));
}

export type HistogramBin = { group: string; x1: number; x2: number; count: number; fraction: number };

/**
 * Histograms of each group's values over the same `binCount` equal-width bins spanning every
 * value (Sturges' rule on the largest group when not given, 5..60 bins). `fraction` is the bin's
 * share of its group's values. The last bin includes the maximum.
 */
export function overlaidHistograms(
  groups: readonly { group: string; values: readonly number[] }[],
  binCount?: number,
): HistogramBin[] {
  const finite = groups.map((g) => ({ group: g.group, values: g.values.filter(Number.isFinite) }));
  let min = Infinity;
  let max = -Infinity;
  for (const g of finite) for (const v of g.values) [min, max] = [Math.min(min, v), Math.max(max, v)];
  if (min > max) return [];
  const largest = Math.max(...finite.map((g) => g.values.length));
  const bins = binCount ?? Math.min(60, Math.max(5, Math.ceil(Math.log2(largest)) + 1));
  const width = max > min ? (max - min) / bins : 1;
  const out: HistogramBin[] = [];
  for (const g of finite) {
    if (g.values.length === 0) continue;
    const counts = new Array<number>(bins).fill(0);
    for (const v of g.values) counts[Math.min(bins - 1, Math.floor((v - min) / width))]!++;
    counts.forEach((count, i) =>
      out.push({
        group: g.group,
        x1: min + i * width,
        x2: min + (i + 1) * width,
        count,
        fraction: count / g.values.length,
      }),
    );
  }
  return out;
}
