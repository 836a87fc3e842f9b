/**
 * THE caps of a COCO import, in one place. Each is checked before the work it bounds: the
 * document size by the route (Content-Length, then while the body streams in, 413), the counts of
 * categories, images and annotations when the job parses the document (the run fails with the
 * cap's name in its message), and each geometry against its image before anything is allocated
 * for it (the annotation is skipped with the reason).
 */
import { REGION_LIMITS } from "~/core/regions/region-geometry";

export const COCO_IMPORT_LIMITS = {
  /** Bytes of the uploaded JSON document; bigger ones are refused with 413 before they are read whole. */
  maxDocumentBytes: 64 * 1024 * 1024,
  /** Entries of `categories` (each may become a label class of the project). */
  maxCategories: 1_000,
  /** Entries of `images` (the images the file refers to). */
  maxImages: 100_000,
  /** Entries of `annotations`. */
  maxAnnotations: 100_000,
  /** Polygons of one annotation's `segmentation`. */
  maxPolygonsPerAnnotation: 1_000,
  /** Vertices of one polygon (THE region limit). */
  maxPolygonPoints: REGION_LIMITS.maxPolygonPoints,
  /** Run lengths of one RLE mask (`counts`, after decompressing the string form). */
  maxRleCounts: 2_000_000,
  /**
   * Longest side of a stored mask grid (THE region limit): an RLE of a bigger image is
   * downsampled to this while it is decoded, never allocated at the image's size.
   */
  maxMaskSide: REGION_LIMITS.maxMaskSide,
  /** Regions written per transaction (progress is reported after each). */
  writeBatchSize: 500,
} as const;

export type CocoImportLimits = typeof COCO_IMPORT_LIMITS;
