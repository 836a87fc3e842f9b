/** Rows and blob counting for the ingest and route integration tests (real database and disk). */
import { randomBytes } from "node:crypto";
import { readdir } from "node:fs/promises";
import path from "node:path";
import type { Role } from "~/generated/prisma/enums";
import type { Db } from "~/server/db";
import { dataDir } from "~/server/env";

export async function seedDataset(db: Db, role: Role = "EDITOR") {
  const suffix = randomBytes(4).toString("hex");
  const user = await db.user.create({ data: { email: `uploader-${suffix}@example.test` } });
  const project = await db.project.create({
    data: { name: `project-${suffix}`, memberships: { create: { userId: user.id, role } } },
  });
  const dataset = await db.dataset.create({ data: { projectId: project.id, name: `dataset-${suffix}` } });
  return { user, project, dataset };
}

/** Every file under the blob store's root (DATA_DIR/blobs), temporary files included. */
export async function countBlobFiles(): Promise<number> {
  const root = path.join(dataDir(), "blobs");
  try {
    const entries = await readdir(root, { recursive: true, withFileTypes: true });
    return entries.filter((entry) => entry.isFile()).length;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw error;
  }
}

/** Snapshot of what is stored, to assert that a rejected upload added nothing. */
export async function storedCounts(db: Db) {
  return {
    images: await db.image.count(),
    blobFiles: await countBlobFiles(),
    auditEvents: await db.auditEvent.count({ where: { action: "image.upload" } }),
  };
}
