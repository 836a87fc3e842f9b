/**
 * Imports COCO regions and image labels into a project's existing images. Images are matched by
 * sha256 (our own exports carry it) or else by file name; categories by name, creating missing
 * label classes. Geometry comes from `visual_ccc.geometry` when present (lossless round trip),
 * else from standard COCO: polygons, RLE (compressed or not) as mask regions, or a bare bbox as
 * a rectangle. Every geometry goes through THE region schema before anything is written.
 *
 * Regions are written in one transaction with one audit event (an import of thousands of regions
 * is one thing that happened, not thousands); labels go through setImageLabels.
 */
import { z } from "zod";
import type { Prisma } from "~/generated/prisma/client";
import { setImageLabels } from "~/server/annotations/set-image-labels";
import {
  encodeMaskRuns,
  parseRegionGeometry,
  REGION_GEOMETRY_VERSION,
  RegionGeometryError,
  type RegionGeometry,
} from "~/core/regions/region-geometry";
import { recordChange } from "~/server/audit/record-change";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { saveLabelClass } from "~/server/label-classes/save-label-class";
import { cocoRleToMask, decodeCompressedCounts } from "~/core/regions/coco-rle";
import { exportImagesWhere, type ExportScope } from "~/server/exports/export-scope";

const rleSchema = z.object({
  counts: z.union([z.array(z.number().int().nonnegative()), z.string()]),
  size: z.tuple([z.number().int().positive(), z.number().int().positive()]),
});

const cocoDocumentSchema = z.object({
  images: z.array(
    z.object({
      id: z.union([z.number(), z.string()]),
      file_name: z.string().min(1),
      width: z.number().optional(),
      height: z.number().optional(),
      visual_ccc: z
        .object({ sha256: z.string().optional(), label_category_id: z.number().nullable().optional() })
        .partial()
        .optional(),
    }),
  ),
  categories: z
    .array(
      z.object({
        id: z.number(),
        name: z.string().trim().min(1).max(60),
        visual_ccc: z.object({ color: z.string() }).partial().optional(),
      }),
    )
    .default([]),
  annotations: z
    .array(
      z.object({
        image_id: z.union([z.number(), z.string()]),
        category_id: z.number().nullable().optional(),
        segmentation: z.union([z.array(z.array(z.number())), rleSchema]).optional(),
        bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional(),
        visual_ccc: z.object({ geometry: z.unknown() }).partial().optional(),
      }),
    )
    .default([]),
});

export type CocoImportResult = {
  matchedImages: number;
  unmatchedImages: string[];
  regionsCreated: number;
  labelsSet: number;
  labelClassesCreated: string[];
  skippedAnnotations: { reason: string; count: number }[];
};

const DEFAULT_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"];
const MAX_REPORTED_UNMATCHED = 50;

type Target = { id: string; width: number; height: number };

function geometriesOf(
  annotation: z.infer<typeof cocoDocumentSchema>["annotations"][number],
  image: Target,
): RegionGeometry[] {
  if (annotation.visual_ccc?.geometry !== undefined) return [parseRegionGeometry(annotation.visual_ccc.geometry)];
  const segmentation = annotation.segmentation;
  if (Array.isArray(segmentation) && segmentation.length > 0) {
    return segmentation.map((flat) => {
      const points: [number, number][] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) points.push([flat[i]!, flat[i + 1]!]);
      return parseRegionGeometry({ schemaVersion: REGION_GEOMETRY_VERSION, kind: "polygon", points });
    });
  }
  if (segmentation && !Array.isArray(segmentation)) {
    const [height, width] = segmentation.size;
    if (width !== image.width || height !== image.height)
      throw new RegionGeometryError("RLE size differs from the image");
    const counts =
      typeof segmentation.counts === "string" ? decodeCompressedCounts(segmentation.counts) : segmentation.counts;
    let mask: Uint8Array;
    try {
      mask = cocoRleToMask(counts, width, height);
    } catch (error) {
      throw new RegionGeometryError(error instanceof Error ? error.message : "Invalid RLE");
    }
    return [
      parseRegionGeometry({
        schemaVersion: REGION_GEOMETRY_VERSION,
        kind: "mask",
        gridWidth: width,
        gridHeight: height,
        runs: encodeMaskRuns(mask),
      }),
    ];
  }
  if (annotation.bbox) {
    const [x, y, width, height] = annotation.bbox;
    return [parseRegionGeometry({ schemaVersion: REGION_GEOMETRY_VERSION, kind: "rectangle", x, y, width, height })];
  }
  throw new RegionGeometryError("The annotation has no segmentation, bbox or geometry");
}

export async function importCocoAnnotations(options: {
  db: Db;
  scope: ExportScope;
  actorId: string;
  document: unknown;
}): Promise<CocoImportResult> {
  const { db, scope } = options;
  const parsed = cocoDocumentSchema.safeParse(options.document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(
      "BAD_INPUT",
      `Not a COCO annotation file: ${issue ? `${issue.path.join(".")}: ${issue.message}` : "unreadable"}`,
    );
  }
  const coco = parsed.data;

  // Images of the target, matched by sha256 first, then by a file name that is unique there.
  const candidates = await db.image.findMany({
    where: exportImagesWhere(scope),
    select: { id: true, fileName: true, sha256: true, width: true, height: true },
  });
  const bySha = new Map(candidates.map((c) => [c.sha256, c]));
  const byName = new Map<string, (typeof candidates)[number] | null>();
  for (const c of candidates) byName.set(c.fileName, byName.has(c.fileName) ? null : c);
  const targets = new Map<string, Target>();
  const unmatchedImages: string[] = [];
  let unmatchedCount = 0;
  for (const image of coco.images) {
    const match =
      (image.visual_ccc?.sha256 && bySha.get(image.visual_ccc.sha256)) || byName.get(image.file_name) || null;
    if (match) targets.set(String(image.id), match);
    else if (++unmatchedCount <= MAX_REPORTED_UNMATCHED) unmatchedImages.push(image.file_name);
  }

  // Categories by name; missing ones become label classes.
  const existing = await db.labelClass.findMany({
    where: { projectId: scope.projectId },
    select: { id: true, name: true },
  });
  const classByName = new Map(existing.map((c) => [c.name, c.id]));
  const classByCategory = new Map<number, string>();
  const labelClassesCreated: string[] = [];
  for (const category of coco.categories) {
    let labelClassId = classByName.get(category.name);
    if (!labelClassId) {
      const colour =
        category.visual_ccc?.color && /^#[0-9a-fA-F]{6}$/.test(category.visual_ccc.color)
          ? category.visual_ccc.color
          : DEFAULT_COLOURS[labelClassesCreated.length % DEFAULT_COLOURS.length]!;
      const created = await saveLabelClass({
        db,
        projectId: scope.projectId,
        actorId: options.actorId,
        name: category.name,
        color: colour,
      });
      labelClassId = created.id;
      classByName.set(category.name, labelClassId);
      labelClassesCreated.push(category.name);
    }
    classByCategory.set(category.id, labelClassId);
  }

  const skipped = new Map<string, number>();
  const skip = (reason: string) => skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
  const rows: Prisma.RegionCreateManyInput[] = [];
  for (const annotation of coco.annotations) {
    const image = targets.get(String(annotation.image_id));
    if (!image) {
      skip("image not found in the project");
      continue;
    }
    const categoryId = annotation.category_id ?? 0;
    const labelClassId = categoryId === 0 ? null : (classByCategory.get(categoryId) ?? undefined);
    if (labelClassId === undefined) {
      skip("unknown category");
      continue;
    }
    try {
      for (const geometry of geometriesOf(annotation, image)) {
        rows.push({ imageId: image.id, labelClassId, geometry, authorId: options.actorId });
      }
    } catch (error) {
      if (!(error instanceof RegionGeometryError)) throw error;
      skip(error.message);
    }
  }

  await db.$transaction(async (tx) => {
    if (rows.length > 0) await tx.region.createMany({ data: rows });
    await recordChange(tx, {
      projectId: scope.projectId,
      actorId: options.actorId,
      action: "annotations.import",
      target: scope.datasetId ? { type: "Dataset", id: scope.datasetId } : { type: "Project", id: scope.projectId },
      data: { format: "coco", regions: rows.length, images: targets.size, unmatchedImages: unmatchedCount },
    });
  });

  // Image labels, one setImageLabels call per class (its own transaction, audit and live event).
  const imagesByClass = new Map<string, string[]>();
  for (const image of coco.images) {
    const target = targets.get(String(image.id));
    const categoryId = image.visual_ccc?.label_category_id;
    const labelClassId = categoryId ? classByCategory.get(categoryId) : undefined;
    if (!target || !labelClassId) continue;
    imagesByClass.set(labelClassId, [...(imagesByClass.get(labelClassId) ?? []), target.id]);
  }
  let labelsSet = 0;
  for (const [labelClassId, imageIds] of imagesByClass) {
    for (let i = 0; i < imageIds.length; i += 1000) {
      const batch = imageIds.slice(i, i + 1000);
      await setImageLabels({
        db,
        projectId: scope.projectId,
        actorId: options.actorId,
        imageIds: batch,
        labelClassId,
      });
      labelsSet += batch.length;
    }
  }

  return {
    matchedImages: targets.size,
    unmatchedImages,
    regionsCreated: rows.length,
    labelsSet,
    labelClassesCreated,
    skippedAnnotations: [...skipped].map(([reason, count]) => ({ reason, count })),
  };
}
