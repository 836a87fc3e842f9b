/**
 * The labelled images a retraining learns from: every image of the project (or of one dataset)
 * with an image-level label, its class name as the label, and its cross-validation group.
 *
 * Groups: images cut from one micrograph must not sit on both sides of a fold, or the metrics
 * flatter the model. The platform does not record where an upload came from, so the group is
 * the image's dataset plus its file stem with a trailing tile/crop number removed
 * ("sampleA_tile03.png" -> dataset/sampleA); distinct files are distinct groups. When that
 * leaves fewer than 2 groups, each image is its own group.
 */
import path from "node:path";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";

export const MIN_CLASSES = 2;
export const MIN_IMAGES_PER_CLASS = 2;

export type TrainingImage = {
  imageId: string;
  fileName: string;
  datasetId: string;
  blobKey: string;
  sha256: string;
  label: string;
  group: string;
};

export type TrainingSetSummary = {
  /** Classes trained on (>= MIN_IMAGES_PER_CLASS images each), in the project's class order. */
  classes: string[];
  /** Labelled images per class, every class of the project (also those too small to train on). */
  labelled: { name: string; count: number }[];
  images: TrainingImage[];
  /** Labelled images left out, with why. */
  excluded: { imageId: string; fileName: string; reason: string }[];
  groupedBy: "source" | "image";
  groups: number;
  /** null when the set can train; else what is missing, in words. */
  problem: string | null;
};

const TILE_SUFFIX = /[_\- ](tile|crop|patch|part|roi)[_\-]?\d+$/i;

/** The group of an image: dataset + file stem without a tile number. */
export function sourceGroup(datasetId: string, fileName: string): string {
  const stem = path.posix
    .basename(fileName.replaceAll("\\", "/"))
    .replace(/\.[^.]+$/, "")
    .replace(TILE_SUFFIX, "");
  return `${datasetId}/${stem.toLowerCase()}`;
}

export async function summariseTrainingSet(options: {
  db: Db;
  projectId: string;
  datasetId?: string;
}): Promise<TrainingSetSummary> {
  const { db, projectId, datasetId } = options;
  if (datasetId) {
    const dataset = await db.dataset.findFirst({ where: { id: datasetId, projectId }, select: { id: true } });
    if (!dataset) throw new AppError("NOT_FOUND", "Dataset not found");
  }
  const [classes, labels] = await Promise.all([
    db.labelClass.findMany({
      where: { projectId },
      orderBy: [{ position: "asc" }, { name: "asc" }],
      select: { id: true, name: true },
    }),
    db.imageLabel.findMany({
      where: { image: { projectId, ...(datasetId ? { datasetId } : {}) }, labelClass: { projectId } },
      orderBy: { imageId: "asc" },
      select: {
        labelClassId: true,
        image: { select: { id: true, fileName: true, datasetId: true, blobKey: true, sha256: true } },
      },
    }),
  ]);
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label.labelClassId, (counts.get(label.labelClassId) ?? 0) + 1);
  const labelled = classes.map((c) => ({ name: c.name, count: counts.get(c.id) ?? 0 }));
  const usable = classes.filter((c) => (counts.get(c.id) ?? 0) >= MIN_IMAGES_PER_CLASS);
  const usableIds = new Set(usable.map((c) => c.id));
  const nameOf = new Map(classes.map((c) => [c.id, c.name]));

  const images: TrainingImage[] = [];
  const excluded: TrainingSetSummary["excluded"] = [];
  for (const { labelClassId, image } of labels) {
    const label = nameOf.get(labelClassId) ?? labelClassId;
    if (!usableIds.has(labelClassId)) {
      excluded.push({
        imageId: image.id,
        fileName: image.fileName,
        reason: `class "${label}" has fewer than ${MIN_IMAGES_PER_CLASS} labelled images`,
      });
      continue;
    }
    images.push({ ...image, imageId: image.id, label, group: sourceGroup(image.datasetId, image.fileName) });
  }
  let groupedBy: TrainingSetSummary["groupedBy"] = "source";
  let groups = new Set(images.map((i) => i.group)).size;
  if (groups < 2) {
    groupedBy = "image";
    for (const image of images) image.group = image.imageId;
    groups = images.length;
  }

  let problem: string | null = null;
  if (usable.length < MIN_CLASSES) {
    const sofar = labelled.filter((c) => c.count > 0).map((c) => `${c.name} ${c.count}`);
    problem =
      `Retraining needs at least ${MIN_CLASSES} classes with at least ${MIN_IMAGES_PER_CLASS} labelled images each` +
      (sofar.length ? `; labelled so far: ${sofar.join(", ")}.` : "; no image is labelled yet.");
  }
  return { classes: usable.map((c) => c.name), labelled, images, excluded, groupedBy, groups, problem };
}

/** The training set, or AppError BAD_INPUT saying what is missing. */
export async function collectTrainingSet(options: {
  db: Db;
  projectId: string;
  datasetId?: string;
}): Promise<TrainingSetSummary> {
  const summary = await summariseTrainingSet(options);
  if (summary.problem) throw new AppError("BAD_INPUT", summary.problem);
  return summary;
}
