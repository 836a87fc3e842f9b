/** Projects with a dataset, and image rows in it, on the real database. */
import type { Role } from "~/generated/prisma/enums";
import type { Db } from "~/server/db";
import { seedImageRow } from "~/server/sharing/__tests__/collaboration-fixtures";
import { blobStore } from "~/server/storage";
import { seedProject } from "./seed";

/** One member of each role, keyed by the user label. */
export const ONE_MEMBER_PER_ROLE = {
  owner: "OWNER",
  editor: "EDITOR",
  annotator: "ANNOTATOR",
  viewer: "VIEWER",
} as const satisfies Record<string, Role>;

/** A project whose members hold the given roles (keyed by the user label), with one dataset. */
export async function seedProjectWithDataset(db: Db, members: Record<string, Role>, datasetName: string) {
  const { project, users } = await seedProject(db, members);
  const dataset = await db.dataset.create({ data: { projectId: project.id, name: datasetName } });
  return { project, users, dataset };
}

/** An 8-bit image whose file `bytes` are stored in the blob store, the file doubling as its thumbnail. */
export async function seedStoredImageRow(
  db: Db,
  options: {
    projectId: string;
    datasetId: string;
    fileName: string;
    bytes: Buffer;
    format: string;
    width: number;
    height: number;
    channels: number;
  },
) {
  const { bytes, ...image } = options;
  const stored = await blobStore().put(bytes);
  return db.image.create({
    data: {
      projectId: image.projectId,
      datasetId: image.datasetId,
      fileName: image.fileName,
      blobKey: stored.key,
      sha256: stored.sha256,
      byteSize: bytes.length,
      thumbnailKey: stored.key,
      format: image.format,
      width: image.width,
      height: image.height,
      bitDepth: 8,
      channels: image.channels,
    },
  });
}

/** `count` image rows without blobs in one dataset, created in turn; `row(i)` names and sizes the i-th. */
export async function seedImageRows(
  db: Db,
  where: { projectId: string; datasetId: string },
  count: number,
  row: (i: number) => { fileName: string; width?: number; height?: number },
) {
  const images = [];
  for (let i = 0; i < count; i++) images.push(await seedImageRow(db, { ...where, ...row(i) }));
  return images;
}
