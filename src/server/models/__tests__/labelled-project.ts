/**
 * Test data for retraining: a project with generated micrographs of two visually separable
 * classes (bright blobs on a dark ground vs dark lines on a bright ground), labelled, and a
 * models/ folder holding the committed tiny classifier as the built-in model.
 */
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import type { Db } from "~/server/db";
import { blobStore } from "~/server/storage";

export const repoRoot = path.resolve(__dirname, "../../../..");
export const TINY_MODEL_NAME = "tiny-visualcnn";

/** A temporary models/ folder with the tiny fixture (+ card) as its only, default model. */
export function installTinyModel(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "vccc-models-"));
  for (const ext of [".onnx", ".json"]) {
    copyFileSync(
      path.join(repoRoot, "tests/fixtures/inference", `${TINY_MODEL_NAME}${ext}`),
      path.join(dir, `${TINY_MODEL_NAME}${ext}`),
    );
  }
  process.env.MODELS_DIR = dir;
  process.env.INFERENCE_MODEL = TINY_MODEL_NAME;
  return dir;
}

function rng(seed: number) {
  let state = (seed + 1) * 2654435761;
  return () => {
    state = (state * 1103515245 + 12345) >>> 0;
    return state / 2 ** 32;
  };
}

/** 160 x 160 grey PNG: "blobs" = bright discs on dark; "lines" = dark strokes on bright. */
export async function classImage(kind: "blobs" | "lines", index: number, size = 160): Promise<Buffer> {
  const random = rng(index * 7 + (kind === "blobs" ? 0 : 1000));
  const data = new Uint8Array(size * size);
  if (kind === "blobs") {
    const discs = Array.from({ length: 8 }, () => [random() * size, random() * size, 8 + random() * 12] as const);
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) {
        let v = 30;
        for (const [cx, cy, r] of discs) if ((x - cx) ** 2 + (y - cy) ** 2 < r * r) v = 225;
        data[y * size + x] = Math.max(0, Math.min(255, Math.round(v + (random() - 0.5) * 20)));
      }
  } else {
    const strokes = Array.from({ length: 6 }, () => [random() * size, random() * Math.PI] as const);
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) {
        let v = 210;
        for (const [offset, angle] of strokes) {
          const distance = Math.abs(
            (x - size / 2) * Math.sin(angle) - (y - size / 2) * Math.cos(angle) - (offset - size / 2),
          );
          if (distance < 2.5) v = 25;
        }
        data[y * size + x] = Math.max(0, Math.min(255, Math.round(v + (random() - 0.5) * 20)));
      }
  }
  return sharp(Buffer.from(data), { raw: { width: size, height: size, channels: 1 } })
    .png()
    .toBuffer();
}

/** A dataset of `perClass` images per class, labelled "Spherical" (blobs) and "Dendritic" (lines). */
export async function seedLabelledDataset(options: {
  db: Db;
  projectId: string;
  perClass: number;
  label?: boolean;
  firstIndex?: number;
}) {
  const { db, projectId } = options;
  const dataset = await db.dataset.create({
    data: { projectId, name: `labelled-${Math.random().toString(36).slice(2, 8)}` },
  });
  const classes = {
    blobs: await db.labelClass.upsert({
      where: { projectId_name: { projectId, name: "Spherical" } },
      create: { projectId, name: "Spherical", color: "#3b82f6", position: 0 },
      update: {},
    }),
    lines: await db.labelClass.upsert({
      where: { projectId_name: { projectId, name: "Dendritic" } },
      create: { projectId, name: "Dendritic", color: "#ef4444", position: 1 },
      update: {},
    }),
  };
  const images: { id: string; kind: "blobs" | "lines" }[] = [];
  for (let i = 0; i < options.perClass; i++) {
    for (const kind of ["blobs", "lines"] as const) {
      const png = await classImage(kind, (options.firstIndex ?? 0) + i);
      const blob = await blobStore().put(png);
      const image = await db.image.create({
        data: {
          projectId,
          datasetId: dataset.id,
          fileName: `${kind}-${String(i).padStart(2, "0")}.png`,
          blobKey: blob.key,
          sha256: blob.sha256,
          byteSize: blob.size,
          thumbnailKey: blob.key,
          format: "png",
          width: 160,
          height: 160,
          bitDepth: 8,
          channels: 1,
        },
      });
      if (options.label ?? true)
        await db.imageLabel.create({ data: { imageId: image.id, labelClassId: classes[kind].id } });
      images.push({ id: image.id, kind });
    }
  }
  return { datasetId: dataset.id, images, classes };
}
