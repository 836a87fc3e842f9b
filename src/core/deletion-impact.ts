/**
 * What a deletion removes: the counts `dataset.deletionImpact` answers (server/datasets/
 * deletion-impact.ts, following the schema's cascades) and the sentence the confirmation dialogs
 * make of them. Pure.
 */
export type DeletionImpact = {
  /** The dataset's or class's name (null for a selection of images). */
  name: string | null;
  images: number;
  regions: number;
  labels: number;
  analyses: number;
  objectSets: number;
  tags: number;
  /** Label class only: regions that keep their shape but lose the class. */
  unclassifiedRegions: number;
};
type DeletionCounts = Omit<DeletionImpact, "name">;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function list(parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

/** "Removes 2 images with their 5 regions, 1 image label and 2 analyses." */
export function describeImageDeletion(counts: DeletionCounts): string {
  if (counts.images === 0) return "It holds no images: nothing else is removed.";
  const extras = [
    [counts.regions, "region"],
    [counts.labels, "image label"],
    [counts.analyses, "analysis", "analyses"],
    [counts.objectSets, "object set"],
    [counts.tags, "condition tag"],
  ] as const;
  const parts = extras.filter(([n]) => n > 0).map(([n, one, many]) => plural(n, one, many));
  const images = plural(counts.images, "image");
  return parts.length === 0
    ? `Removes ${images} (no regions, labels or analyses).`
    : `Removes ${images} with ${counts.images === 1 ? "its" : "their"} ${list(parts)}.`;
}

/** "3 images lose this label; 7 regions keep their shape without a class." */
export function describeLabelClassDeletion(counts: DeletionCounts): string {
  const labels =
    counts.labels === 0
      ? "No image is labelled with it"
      : `${plural(counts.labels, "image")} ${counts.labels === 1 ? "loses" : "lose"} this label`;
  const regions =
    counts.unclassifiedRegions === 0
      ? "no region uses it"
      : counts.unclassifiedRegions === 1
        ? "1 region keeps its shape without a class"
        : `${counts.unclassifiedRegions} regions keep their shape without a class`;
  return `${labels}; ${regions}.`;
}
