/**
 * One region as a COCO annotation. The standard fields (segmentation, bbox, area) let any COCO
 * tool read it; `visual_ccc.geometry` carries the exact geometry through THE region schema, so a
 * Visual-CCC import restores brush strokes and masks losslessly instead of their rasters.
 */
import type { RegionGeometry } from "~/core/regions/region-geometry";
import { maskToCocoRle, type CocoRle } from "~/core/regions/coco-rle";
import { rasterizeBrush, resampleMask } from "~/core/regions/rasterize-region";

/**
 * The category of regions without a class: COCO tools expect every annotation's category_id in
 * `categories`, so class-less regions get this one (marked `visual_ccc.unlabelled`), and an
 * import maps it (or a plain "unlabelled" category of another tool) back to no class.
 */
export const UNLABELLED_CATEGORY = { name: "unlabelled", supercategory: "", visual_ccc: { unlabelled: true } } as const;

/** Whether an imported category stands for "no class" (see UNLABELLED_CATEGORY). */
export function isUnlabelledCategory(category: {
  name: string;
  visual_ccc?: { unlabelled?: boolean; color?: string };
}): boolean {
  if (category.visual_ccc?.unlabelled === true) return true;
  // A class of ours named "unlabelled" carries its colour; another tool's bare category does not.
  return category.name.toLowerCase() === UNLABELLED_CATEGORY.name && category.visual_ccc?.color === undefined;
}

export type CocoAnnotation = {
  id: number;
  image_id: number;
  /** A category of the document (UNLABELLED_CATEGORY for a region without a class). */
  category_id: number;
  segmentation: number[][] | CocoRle;
  area: number;
  bbox: [number, number, number, number];
  iscrowd: 0;
  visual_ccc: { geometry: RegionGeometry };
};

function polygonArea(flat: readonly number[]): number {
  let sum = 0;
  const n = flat.length / 2;
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    sum += flat[2 * i]! * flat[2 * j + 1]! - flat[2 * j]! * flat[2 * i + 1]!;
  }
  return Math.abs(sum) / 2;
}

function boundsOfFlat(flat: readonly number[]): [number, number, number, number] {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < flat.length; i += 2) {
    minX = Math.min(minX, flat[i]!);
    maxX = Math.max(maxX, flat[i]!);
    minY = Math.min(minY, flat[i + 1]!);
    maxY = Math.max(maxY, flat[i + 1]!);
  }
  return [minX, minY, maxX - minX, maxY - minY];
}

/** Pixel count and tight COCO bbox [x, y, w, h] of a row-major 0/non-zero mask ([0, 0, 0, 0] when empty). */
export function maskAreaAndBox(mask: Uint8Array, width: number, height: number) {
  let area = 0;
  let minX = width;
  let minY = height;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!mask[y * width + x]) continue;
      area++;
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
  }
  const bbox: [number, number, number, number] =
    area === 0 ? [0, 0, 0, 0] : [minX, minY, maxX - minX + 1, maxY - minY + 1];
  return { area, bbox };
}

function rasterFields(mask: Uint8Array, width: number, height: number) {
  return { segmentation: maskToCocoRle(mask, width, height), ...maskAreaAndBox(mask, width, height) };
}

export function toCocoAnnotation(options: {
  id: number;
  imageId: number;
  categoryId: number;
  geometry: RegionGeometry;
  image: { width: number; height: number };
}): CocoAnnotation {
  const { geometry, image } = options;
  const base = {
    id: options.id,
    image_id: options.imageId,
    category_id: options.categoryId,
    iscrowd: 0 as const,
    visual_ccc: { geometry },
  };
  switch (geometry.kind) {
    case "polygon": {
      const flat = geometry.points.flat();
      return { ...base, segmentation: [flat], area: polygonArea(flat), bbox: boundsOfFlat(flat) };
    }
    case "rectangle": {
      const { x, y, width, height } = geometry;
      const flat = [x, y, x + width, y, x + width, y + height, x, y + height];
      return { ...base, segmentation: [flat], area: width * height, bbox: [x, y, width, height] };
    }
    case "brush":
      return {
        ...base,
        ...rasterFields(rasterizeBrush(geometry, image.width, image.height), image.width, image.height),
      };
    case "mask":
      return {
        ...base,
        ...rasterFields(resampleMask(geometry, image.width, image.height), image.width, image.height),
      };
  }
}
