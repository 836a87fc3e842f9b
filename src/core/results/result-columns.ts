/**
 * The measurement columns of the results view (one per number an image reports: the predicted
 * class's probability and every class probability, Otsu, texture, cluster area %, the objects'
 * per-image numbers, further numeric descriptors). Their keys are stable; the column set depends
 * on the data (classes of the model, K of the clustering), so pages bring their own columns and
 * the client merges them in {@link compareColumnKeys} order.
 */

export type ResultColumn = {
  /** "probability", "p:<class>", "cluster:k3:1", "object_count", "descriptor:<name>"... */
  key: string;
  label: string;
  /** Unit as shown after the label; null for a pure number (probability, count, ratio). */
  unit: string | null;
};

/** Columns whose key is fixed, in their display order. */
const FIXED_COLUMNS: readonly ResultColumn[] = [
  { key: "probability", label: "Probability of the prediction", unit: null },
  { key: "otsu_threshold", label: "Otsu threshold", unit: "grey level" },
  { key: "foreground_fraction", label: "Foreground fraction", unit: "fraction" },
  { key: "mean_contrast", label: "Texture (mean GLCM contrast)", unit: null },
  { key: "object_count", label: "Object count", unit: null },
  { key: "object_coverage", label: "Object coverage", unit: "fraction" },
  { key: "object_d50_px", label: "Object d50 (equivalent diameter)", unit: "px" },
  { key: "object_d50_um", label: "Object d50 (equivalent diameter)", unit: "µm" },
  { key: "index_of_dispersion_max", label: "Index of dispersion (max)", unit: null },
];
const FIXED_BY_KEY = new Map(FIXED_COLUMNS.map((column, index) => [column.key, { column, index }]));

export const probabilityKey = (className: string) => `p:${className}`;
/** Area share of cluster `index` (0-based) of the k-means clustering with `k` clusters. */
export const clusterKey = (k: number, index: number) => `cluster:k${k}:${index + 1}`;
export const descriptorKey = (name: string) => `descriptor:${name}`;

/** The column of a key (label and unit). */
export function resultColumn(key: string): ResultColumn {
  const fixed = FIXED_BY_KEY.get(key);
  if (fixed) return fixed.column;
  if (key.startsWith("p:")) return { key, label: `P(${key.slice(2)})`, unit: null };
  const cluster = /^cluster:k(\d+):(\d+)$/.exec(key);
  if (cluster) return { key, label: `Cluster ${cluster[2]} of ${cluster[1]} area`, unit: "%" };
  return { key, label: key.replace(/^descriptor:/, ""), unit: null };
}

/**
 * Rank of a key: the prediction's probability, class probabilities, Otsu and texture, clusters
 * (by K, then cluster), the objects' numbers, other descriptors (by name).
 */
function rankOf(key: string): [number, number, number, string] {
  const fixed = FIXED_BY_KEY.get(key);
  if (fixed) return [fixed.index === 0 ? 0 : fixed.index < 4 ? 2 : 4, fixed.index, 0, ""];
  if (key.startsWith("p:")) return [1, 0, 0, key];
  const cluster = /^cluster:k(\d+):(\d+)$/.exec(key);
  if (cluster) return [3, Number(cluster[1]), Number(cluster[2]), ""];
  return [5, 0, 0, key];
}

export function compareColumnKeys(a: string, b: string): number {
  const [ra, rb] = [rankOf(a), rankOf(b)];
  for (let i = 0; i < 3; i++) if (ra[i] !== rb[i]) return (ra[i] as number) - (rb[i] as number);
  return ra[3] < rb[3] ? -1 : ra[3] > rb[3] ? 1 : 0;
}

/** The columns of every key in `keys` (duplicates dropped), in display order. */
export function columnsOf(keys: Iterable<string>): ResultColumn[] {
  return [...new Set(keys)].sort(compareColumnKeys).map(resultColumn);
}
