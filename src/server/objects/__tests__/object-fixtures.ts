/** Object sets for tests that need one without running a segmentation (access, exports). */
import { randomBytes } from "node:crypto";
import sharp from "sharp";
import { DEFAULT_OBJECT_PARAMS } from "~/core/objects/segment-objects";
import type { Db } from "~/server/db";
import { blobStore } from "~/server/storage";
import {
  ONE_MEMBER_PER_ROLE,
  seedProjectWithDataset,
  seedStoredImageRow,
} from "../../../../tests/helpers/project-images";
import { encodeLabelMapPng } from "../object-set-labels";

/** A disc-free 8 x 6 label map with two objects (labels 1 and 2) and their records. */
export async function seedObjectSet(
  db: Db,
  options: { projectId: string; imageId: string; paramsHash?: string; records?: Record<string, unknown>[] },
) {
  const labels = new Int32Array(8 * 6);
  labels[9] = 1;
  labels[10] = 1;
  labels[30] = 2;
  const png = await blobStore().put(new Uint8Array(await encodeLabelMapPng(labels, 8, 6)));
  const records = options.records ?? [
    { label: 1, area: 2, centroid: [1, 1.5], bbox: [1, 1, 2, 3], equivalent_diameter: 1.596, perimeter: 2 },
    { label: 2, area: 1, centroid: [3, 6], bbox: [3, 6, 4, 7], equivalent_diameter: 1.128, perimeter: 0 },
  ];
  const objects = await blobStore().put(Buffer.from(JSON.stringify(records)));
  return db.objectSet.create({
    data: {
      projectId: options.projectId,
      imageId: options.imageId,
      params: { ...DEFAULT_OBJECT_PARAMS },
      paramsHash: options.paramsHash ?? randomBytes(8).toString("hex"),
      codeVersion: "objects@1",
      labelMapKey: png.key,
      width: 8,
      height: 6,
      count: records.length,
      threshold: 128,
      polarity: "bright",
      imageStats: { count: records.length, coverage: 0.0625, d50: 1.362, indexOfDispersion: { q: 4, max: 1.5 } },
      objects: records as never,
      objectsKey: objects.key,
    },
  });
}

/** The five-disc scene of the object tests: its size, disc radius and centres, and the image. */
export const WIDTH = 160;
export const HEIGHT = 120;
export const RADIUS = 9;
export const CENTRES: [row: number, col: number][] = [
  [25, 25],
  [30, 75],
  [25, 130],
  [85, 40],
  [90, 110],
];

/** Dark background (40) with five bright discs (210) of radius 9 px, as an 8-bit grey PNG. */
export async function discsPng(): Promise<Buffer> {
  const grey = Buffer.alloc(WIDTH * HEIGHT, 40);
  for (const [r0, c0] of CENTRES) {
    for (let r = r0 - RADIUS; r <= r0 + RADIUS; r++) {
      for (let c = c0 - RADIUS; c <= c0 + RADIUS; c++) {
        if ((r - r0) ** 2 + (c - c0) ** 2 <= RADIUS * RADIUS) grey[r * WIDTH + c] = 210;
      }
    }
  }
  return sharp(grey, { raw: { width: WIDTH, height: HEIGHT, channels: 1 } })
    .png()
    .toBuffer();
}

/** A project (one member per role) with a dataset holding the five-disc image, stored for real. */
export async function seedDiscsImage(db: Db) {
  const { project, users, dataset } = await seedProjectWithDataset(db, ONE_MEMBER_PER_ROLE, "discs");
  const image = await seedStoredImageRow(db, {
    projectId: project.id,
    datasetId: dataset.id,
    fileName: "discs.png",
    bytes: await discsPng(),
    format: "png",
    width: WIDTH,
    height: HEIGHT,
    channels: 1,
  });
  return { project, users, dataset, image };
}
