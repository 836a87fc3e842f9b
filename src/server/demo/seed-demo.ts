/**
 * First start on an empty database: a demo account and project with a few micrographs, so a
 * newcomer sees the product working before uploading anything.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Db } from "~/server/db";
import { hashPassword } from "~/server/auth/password";
import { ingestFiles } from "~/server/datasets/ingest-files";
import { createDataset } from "~/server/datasets/create-dataset";
import { createProject } from "~/server/projects/create-project";
import { blobStore } from "~/server/storage";

export const DEMO_EMAIL = "demo@visual-ccc.local";
export const DEMO_PASSWORD = "visual-ccc-demo";
const DEMO_IMAGES_DIR = path.resolve(import.meta.dirname, "../../../prisma/demo-images");

/** Returns false when the database already has users (nothing is touched then). */
export async function seedDemo(db: Db): Promise<boolean> {
  if ((await db.user.count()) > 0) return false;
  const user = await db.user.create({
    data: { email: DEMO_EMAIL, name: "Demo", passwordHash: await hashPassword(DEMO_PASSWORD) },
  });
  const project = await createProject({ db, userId: user.id, name: "Demo: GaAs nanowires" });
  const dataset = await createDataset({
    db,
    projectId: project.id,
    actorId: user.id,
    name: "DeepSEM tiles",
    description: "GaAs nanowire arrays, DeepSEM (MIT, (c) 2020 Martin Friedl)",
  });
  const names = (await readdir(DEMO_IMAGES_DIR)).filter((name) => name.endsWith(".png"));
  const files = await Promise.all(
    names.map(async (name) => ({ name, bytes: await readFile(path.join(DEMO_IMAGES_DIR, name)) })),
  );
  await ingestFiles({
    db,
    blobs: blobStore(),
    projectId: project.id,
    datasetId: dataset.id,
    userId: user.id,
    files,
  });
  return true;
}
