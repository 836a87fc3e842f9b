/**
 * What a deletion would remove, counted before the person confirms it: the confirmation dialogs
 * say it ("3 images, 12 regions, 3 analyses…"). The counts follow the schema's cascades: deleting
 * images removes their regions, image labels, analyses, object sets and tags; deleting a label
 * class removes the image labels of that class and leaves its regions without a class.
 */
import type { DeletionImpact } from "~/core/deletion-impact";
import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { findProjectImages } from "~/server/images/project-images";

export type DeletionTarget =
  | { kind: "dataset"; datasetId: string }
  | { kind: "images"; imageIds: string[] }
  | { kind: "labelClass"; labelClassId: string };

const NONE = { images: 0, regions: 0, labels: 0, analyses: 0, objectSets: 0, tags: 0, unclassifiedRegions: 0 };

async function imagesImpact(db: Db, where: Prisma.ImageWhereInput) {
  const image = { is: where };
  const [images, regions, labels, analyses, objectSets, tags] = await Promise.all([
    db.image.count({ where }),
    db.region.count({ where: { image } }),
    db.imageLabel.count({ where: { image } }),
    db.analysis.count({ where: { image } }),
    db.objectSet.count({ where: { image } }),
    db.imageTag.count({ where: { image } }),
  ]);
  return { ...NONE, images, regions, labels, analyses, objectSets, tags };
}

export async function deletionImpact(options: {
  db: Db;
  projectId: string;
  target: DeletionTarget;
}): Promise<DeletionImpact> {
  const { db, projectId, target } = options;
  switch (target.kind) {
    case "dataset": {
      const dataset = await db.dataset.findFirst({
        where: { id: target.datasetId, projectId },
        select: { name: true },
      });
      if (!dataset) throw new AppError("NOT_FOUND", "Dataset not found");
      return { name: dataset.name, ...(await imagesImpact(db, { datasetId: target.datasetId, projectId })) };
    }
    case "images": {
      const images = await findProjectImages(db, { projectId, imageIds: target.imageIds });
      return { name: null, ...(await imagesImpact(db, { id: { in: images.map((i) => i.id) }, projectId })) };
    }
    case "labelClass": {
      const labelClass = await db.labelClass.findFirst({
        where: { id: target.labelClassId, projectId },
        select: { name: true },
      });
      if (!labelClass) throw new AppError("NOT_FOUND", "Label class not found");
      const [labels, unclassifiedRegions] = await Promise.all([
        db.imageLabel.count({ where: { labelClassId: target.labelClassId } }),
        db.region.count({ where: { labelClassId: target.labelClassId } }),
      ]);
      return { name: labelClass.name, ...NONE, labels, unclassifiedRegions };
    }
  }
}
