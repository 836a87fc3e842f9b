/**
 * Imports COCO regions and image labels into a project's existing images. Images are matched by
 * sha256 (our own exports carry it) or else by file name; categories by name, creating missing
 * label classes; the "unlabelled" category (UNLABELLED_CATEGORY) and category 0 mean no class. Geometry comes from `visual_ccc.geometry` when present (lossless round trip),
 * else from standard COCO: polygons, RLE (compressed or not) as mask regions, or a bare bbox as
 * a rectangle. Every geometry is checked against its image and goes through THE region schema
 * before anything is written (coco-geometry.ts); the caps are COCO_IMPORT_LIMITS.
 *
 * An import runs as a job (import-coco.handler.ts) in steps, each exported here:
 *   1. parseCocoDocument + planCocoImport: the whole document is validated and every region
 *      computed in memory, writing nothing; an invalid document fails here, before any write;
 *   2. ensureLabelClasses: missing categories become label classes (found by name on a re-run);
 *   3. createRegionBatch: the regions, in batches (one transaction each, with the run's progress);
 *      "replace" first removes the regions of the file's images (removeRegionsOfImages), "merge"
 *      skips regions identical to one the image already has (newRegionsOnly; the identity is
 *      core/regions/region-identity), so importing the same file twice adds nothing;
 *   4. setImportedImageLabels: image labels through setImageLabels (idempotent);
 *   5. recordCocoImport: one audit event for the import (thousands of regions are one change).
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { Prisma } from "~/generated/prisma/client";
import type { CocoImportMode } from "~/core/coco-import-modes";
import { parseRegionGeometry, RegionGeometryError, type RegionGeometry } from "~/core/regions/region-geometry";
import { regionIdentity } from "~/core/regions/region-identity";
import { setImageLabels } from "~/server/annotations/set-image-labels";
import { recordChange } from "~/server/audit/record-change";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import { isUnlabelledCategory } from "~/server/exports/coco-annotation";
import { exportImagesWhere, type ExportScope } from "~/server/exports/export-scope";
import { saveLabelClass } from "~/server/label-classes/save-label-class";
import { cocoAnnotationGeometries } from "./coco-geometry";
import { COCO_IMPORT_LIMITS } from "./coco-import-limits";

const L = COCO_IMPORT_LIMITS;

const rleSchema = z.object({
  counts: z.union([z.array(z.number().int().nonnegative()), z.string()]),
  size: z.tuple([z.number().int().positive(), z.number().int().positive()]),
});

const cocoId = z.union([z.number(), z.string().max(200)]);

export const cocoDocumentSchema = z.object({
  images: z
    .array(
      z.object({
        id: cocoId,
        file_name: z.string().min(1).max(1000),
        width: z.number().optional(),
        height: z.number().optional(),
        visual_ccc: z
          .object({ sha256: z.string().optional(), label_category_id: z.number().nullable().optional() })
          .partial()
          .optional(),
      }),
    )
    .max(L.maxImages, `at most ${L.maxImages} images can be imported at once`),
  categories: z
    .array(
      z.object({
        id: z.number(),
        name: z.string().trim().min(1).max(60),
        visual_ccc: z.object({ color: z.string(), unlabelled: z.boolean() }).partial().optional(),
      }),
    )
    .max(L.maxCategories, `at most ${L.maxCategories} categories can be imported at once`)
    .default([]),
  annotations: z
    .array(
      z.object({
        image_id: cocoId,
        category_id: z.number().nullable().optional(),
        segmentation: z.union([z.array(z.array(z.number())), rleSchema]).optional(),
        bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional(),
        visual_ccc: z.object({ geometry: z.unknown() }).partial().optional(),
      }),
    )
    .max(L.maxAnnotations, `at most ${L.maxAnnotations} annotations can be imported at once`)
    .default([]),
});
export type CocoDocument = z.infer<typeof cocoDocumentSchema>;

export type CocoImportResult = {
  matchedImages: number;
  unmatchedImages: string[];
  regionsCreated: number;
  mode: CocoImportMode;
  /** merge: regions of the file identical to one the image had before the import. */
  regionsSkippedIdentical: number;
  /** replace: regions removed from the file's images before the import. */
  regionsRemoved: number;
  labelsSet: number;
  labelClassesCreated: string[];
  skippedAnnotations: { reason: string; count: number }[];
};

const DEFAULT_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"];
const MAX_REPORTED_UNMATCHED = 50;

/** THE document check: AppError BAD_INPUT naming the first problem (a cap's message included). */
export function parseCocoDocument(document: unknown): CocoDocument {
  const parsed = cocoDocumentSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(
      "BAD_INPUT",
      `Not a COCO annotation file: ${issue ? `${issue.path.join(".") || "document"}: ${issue.message}` : "unreadable"}`,
    );
  }
  return parsed.data;
}

/** The bytes of an uploaded file as a checked COCO document (AppError BAD_INPUT otherwise). */
export function parseCocoBytes(bytes: Uint8Array): CocoDocument {
  if (bytes.byteLength > L.maxDocumentBytes)
    throw new AppError("TOO_LARGE", `COCO files up to ${L.maxDocumentBytes / 1024 / 1024} MiB can be imported`);
  let document: unknown;
  try {
    document = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8"));
  } catch {
    throw new AppError("BAD_INPUT", "The file is not JSON");
  }
  return parseCocoDocument(document);
}

/** One region to write; its class is the category's name (resolved by ensureLabelClasses). */
export type PlannedRegion = { imageId: string; categoryName: string | null; geometry: RegionGeometry };

/** Everything an import will write, computed (and validated) before the first write. */
export type CocoImportPlan = {
  regions: PlannedRegion[];
  /** Categories the regions and labels use, with the colour a new label class gets. */
  categories: { name: string; color: string }[];
  /** Image labels: category name -> image ids. */
  labels: Map<string, string[]>;
  /** The project's images the file names (replace removes their regions). */
  imageIds: string[];
  matchedImages: number;
  unmatchedImages: string[];
  unmatchedCount: number;
  skippedAnnotations: { reason: string; count: number }[];
};

/** Validates a parsed document against the scope's images and computes every region; writes nothing. */
export async function planCocoImport(options: {
  db: Db;
  scope: ExportScope;
  document: CocoDocument;
}): Promise<CocoImportPlan> {
  const { db, scope, document: coco } = options;

  // Images of the target, matched by sha256 first, then by a file name that is unique there.
  const candidates = await db.image.findMany({
    where: exportImagesWhere(scope),
    select: { id: true, fileName: true, sha256: true, width: true, height: true },
  });
  const bySha = new Map(candidates.map((c) => [c.sha256, c]));
  const byName = new Map<string, (typeof candidates)[number] | null>();
  for (const c of candidates) byName.set(c.fileName, byName.has(c.fileName) ? null : c);
  type Target = (typeof candidates)[number];
  const targets = new Map<string, Target>();
  const unmatchedImages: string[] = [];
  let unmatchedCount = 0;
  for (const image of coco.images) {
    const match =
      (image.visual_ccc?.sha256 && bySha.get(image.visual_ccc.sha256)) || byName.get(image.file_name) || null;
    if (match) targets.set(String(image.id), match);
    else if (++unmatchedCount <= MAX_REPORTED_UNMATCHED) unmatchedImages.push(image.file_name);
  }

  const categoryById = new Map<number, CocoDocument["categories"][number]>();
  const noClassIds = new Set<number>([0]);
  for (const category of coco.categories) {
    if (isUnlabelledCategory(category)) noClassIds.add(category.id);
    else categoryById.set(category.id, category);
  }
  const used = new Map<string, string>(); // name -> colour, in the order of first use
  const categoryNameOf = (categoryId: number): string => {
    const category = categoryById.get(categoryId)!;
    if (!used.has(category.name)) {
      const colour =
        category.visual_ccc?.color && /^#[0-9a-fA-F]{6}$/.test(category.visual_ccc.color)
          ? category.visual_ccc.color
          : DEFAULT_COLOURS[used.size % DEFAULT_COLOURS.length]!;
      used.set(category.name, colour);
    }
    return category.name;
  };
  // Declared categories keep the document's order (the classes are created in it).
  for (const category of categoryById.values()) categoryNameOf(category.id);

  const skipped = new Map<string, number>();
  const skip = (reason: string) => skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
  const regions: PlannedRegion[] = [];
  for (const annotation of coco.annotations) {
    const image = targets.get(String(annotation.image_id));
    if (!image) {
      skip("image not found in the project");
      continue;
    }
    const categoryId = annotation.category_id ?? 0;
    if (!noClassIds.has(categoryId) && !categoryById.has(categoryId)) {
      skip("unknown category");
      continue;
    }
    const categoryName = noClassIds.has(categoryId) ? null : categoryNameOf(categoryId);
    try {
      for (const geometry of cocoAnnotationGeometries(annotation, image)) {
        regions.push({ imageId: image.id, categoryName, geometry });
      }
    } catch (error) {
      if (!(error instanceof RegionGeometryError)) throw error;
      skip(error.message);
    }
  }

  const labels = new Map<string, string[]>();
  for (const image of coco.images) {
    const target = targets.get(String(image.id));
    const categoryId = image.visual_ccc?.label_category_id;
    if (!target || !categoryId || !categoryById.has(categoryId)) continue;
    const name = categoryNameOf(categoryId);
    labels.set(name, [...(labels.get(name) ?? []), target.id]);
  }

  return {
    regions,
    categories: [...used].map(([name, color]) => ({ name, color })),
    labels,
    imageIds: [...new Set([...targets.values()].map((target) => target.id))],
    matchedImages: targets.size,
    unmatchedImages,
    unmatchedCount,
    skippedAnnotations: [...skipped].map(([reason, count]) => ({ reason, count })),
  };
}

/** Label class ids by category name, creating the missing classes (found by name on a re-run). */
export async function ensureLabelClasses(options: {
  db: Db;
  projectId: string;
  actorId: string;
  plan: Pick<CocoImportPlan, "categories">;
}): Promise<{ classByName: Map<string, string>; created: string[] }> {
  const { db, projectId } = options;
  const existing = await db.labelClass.findMany({ where: { projectId }, select: { id: true, name: true } });
  const classByName = new Map(existing.map((c) => [c.name, c.id]));
  const created: string[] = [];
  for (const category of options.plan.categories) {
    if (classByName.has(category.name)) continue;
    const saved = await saveLabelClass({
      db,
      projectId,
      actorId: options.actorId,
      name: category.name,
      color: category.color,
    });
    classByName.set(category.name, saved.id);
    created.push(category.name);
  }
  return { classByName, created };
}

/** Writes one batch of planned regions with the transaction `tx`. */
export async function createRegionBatch(
  tx: Prisma.TransactionClient,
  options: { regions: readonly PlannedRegion[]; classByName: Map<string, string>; actorId: string },
): Promise<number> {
  if (options.regions.length === 0) return 0;
  const data: Prisma.RegionCreateManyInput[] = options.regions.map((region) => ({
    imageId: region.imageId,
    labelClassId: region.categoryName === null ? null : options.classByName.get(region.categoryName)!,
    geometry: region.geometry,
    authorId: options.actorId,
  }));
  const { count } = await tx.region.createMany({ data });
  return count;
}

/** Removes every region of the images (replace mode), with `tx`; returns how many. */
export async function removeRegionsOfImages(tx: Prisma.TransactionClient, imageIds: readonly string[]) {
  if (imageIds.length === 0) return 0;
  return (await tx.region.deleteMany({ where: { imageId: { in: [...imageIds] } } })).count;
}

const identityHash = (labelClassId: string | null, geometry: RegionGeometry) =>
  createHash("sha256").update(regionIdentity(labelClassId, geometry)).digest("base64");

/**
 * The merge rule: keeps the planned regions that are not identical (same class, same canonical
 * geometry: core/regions/region-identity) to a region their image had before the import
 * (created before `since`, the run's start: what this import writes is never compared, so a
 * file that repeats a region keeps both, as it says, and a resumed run decides as the first
 * attempt did). `known` caches each image's identities across batches (read with `tx` the
 * first time the image comes up).
 */
export async function newRegionsOnly(
  tx: Prisma.TransactionClient,
  options: {
    regions: readonly PlannedRegion[];
    classByName: Map<string, string>;
    known: Map<string, Set<string>>;
    since: Date;
  },
): Promise<PlannedRegion[]> {
  const { known } = options;
  const unread = [...new Set(options.regions.map((region) => region.imageId))].filter((id) => !known.has(id));
  for (const id of unread) known.set(id, new Set());
  if (unread.length > 0) {
    const existing = await tx.region.findMany({
      where: { imageId: { in: unread }, createdAt: { lt: options.since } },
      select: { imageId: true, labelClassId: true, geometry: true },
    });
    for (const region of existing) {
      try {
        known.get(region.imageId)!.add(identityHash(region.labelClassId, parseRegionGeometry(region.geometry)));
      } catch (error) {
        if (!(error instanceof RegionGeometryError)) throw error; // an unreadable row matches nothing
      }
    }
  }
  return options.regions.filter((region) => {
    const classId = region.categoryName === null ? null : options.classByName.get(region.categoryName)!;
    const key = identityHash(classId, region.geometry);
    return !known.get(region.imageId)!.has(key);
  });
}

/** Image labels, one setImageLabels call per class and 1000 images (each its own transaction). */
export async function setImportedImageLabels(options: {
  db: Db;
  projectId: string;
  actorId: string;
  plan: Pick<CocoImportPlan, "labels">;
  classByName: Map<string, string>;
}): Promise<number> {
  let labelsSet = 0;
  for (const [name, imageIds] of options.plan.labels) {
    const labelClassId = options.classByName.get(name)!;
    for (let i = 0; i < imageIds.length; i += 1000) {
      const batch = imageIds.slice(i, i + 1000);
      await setImageLabels({
        db: options.db,
        projectId: options.projectId,
        actorId: options.actorId,
        imageIds: batch,
        labelClassId,
      });
      labelsSet += batch.length;
    }
  }
  return labelsSet;
}

/** The import's one audit event ("annotations.import"), in the transaction `tx`. */
export async function recordCocoImport(
  tx: Prisma.TransactionClient,
  options: {
    scope: ExportScope;
    actorId: string;
    plan: CocoImportPlan;
    jobRunId?: string;
    result: Pick<CocoImportResult, "mode" | "regionsCreated" | "regionsSkippedIdentical" | "regionsRemoved">;
  },
): Promise<void> {
  const { scope } = options;
  await recordChange(tx, {
    projectId: scope.projectId,
    actorId: options.actorId,
    action: "annotations.import",
    target: scope.datasetId ? { type: "Dataset", id: scope.datasetId } : { type: "Project", id: scope.projectId },
    data: {
      format: "coco",
      mode: options.result.mode,
      regions: options.result.regionsCreated,
      skippedIdentical: options.result.regionsSkippedIdentical,
      removed: options.result.regionsRemoved,
      images: options.plan.matchedImages,
      unmatchedImages: options.plan.unmatchedCount,
      ...(options.jobRunId ? { jobRunId: options.jobRunId } : {}),
    },
  });
}

/** The summary of a finished import. */
export function cocoImportResult(
  plan: CocoImportPlan,
  written: Omit<CocoImportResult, "matchedImages" | "unmatchedImages" | "skippedAnnotations">,
): CocoImportResult {
  return {
    matchedImages: plan.matchedImages,
    unmatchedImages: plan.unmatchedImages,
    ...written,
    skippedAnnotations: plan.skippedAnnotations,
  };
}
