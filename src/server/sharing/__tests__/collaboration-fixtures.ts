/** Rows and blobs for the collaboration tests: real PNG blobs, so byte routes really answer. */
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "~/server/db";
import { pngGrey } from "~/server/codecs/__tests__/test-images";
import { blobStore } from "~/server/storage";

let seed = 1;

/** An image row whose original, thumbnail and display are a real small PNG in the blob store. */
export async function seedStoredImage(
  db: Db,
  options: { projectId: string; datasetId: string; fileName?: string; width?: number; height?: number },
) {
  const width = options.width ?? 32;
  const height = options.height ?? 24;
  const png = await pngGrey(width, height, seed++);
  const stored = await blobStore().put(png);
  return db.image.create({
    data: {
      projectId: options.projectId,
      datasetId: options.datasetId,
      fileName: options.fileName ?? `image-${randomBytes(3).toString("hex")}.png`,
      blobKey: stored.key,
      sha256: stored.sha256,
      byteSize: png.length,
      thumbnailKey: stored.key,
      format: "png",
      width,
      height,
      bitDepth: 8,
      channels: 1,
    },
  });
}

/** An image row without bytes (for exports that never read pixels). */
export async function seedImageRow(
  db: Db,
  options: {
    projectId: string;
    datasetId: string;
    fileName: string;
    width?: number;
    height?: number;
    sha256?: string;
  },
) {
  const sha256 = options.sha256 ?? createHash("sha256").update(randomBytes(16)).digest("hex");
  return db.image.create({
    data: {
      projectId: options.projectId,
      datasetId: options.datasetId,
      fileName: options.fileName,
      blobKey: `sha256/${sha256}`,
      sha256,
      byteSize: 1,
      thumbnailKey: `sha256/${sha256}`,
      format: "png",
      width: options.width ?? 64,
      height: options.height ?? 48,
      bitDepth: 8,
      channels: 1,
    },
  });
}

/** An analysis with every map (each a real 8-bit PNG blob), a prediction and descriptors. */
export async function seedAnalysis(db: Db, options: { imageId: string; prediction?: string; paramsHash?: string }) {
  const map = async (encoding: "grey" | "mask" | "colormap-index" | "labels" | "heat", s: number) => {
    const stored = await blobStore().put(await pngGrey(16, 12, 1000 + s));
    return { key: stored.key, width: 16, height: 12, encoding };
  };
  const mapKeys = {
    grey: await map("grey", 1),
    segmentation: await map("mask", 2),
    contrast: await map("colormap-index", 3),
    clusters: { "3": { ...(await map("labels", 4)), k: 3 } },
    cam: { ...(await map("heat", 5)), classIndex: 0, className: "dendritic" },
  };
  return db.analysis.create({
    data: {
      imageId: options.imageId,
      paramsHash: options.paramsHash ?? randomBytes(8).toString("hex"),
      params: {},
      codeVersion: "analyze-image@1",
      prediction: options.prediction ?? "dendritic",
      probabilities: { dendritic: 0.8, spherical: 0.2 },
      mapKeys,
      clusterStats: {
        "3": {
          requestedK: 3,
          k: 3,
          method: "exact",
          centers: [10, 100, 200],
          standardizedCenters: [-1, 0, 1],
          counts: [10, 20, 30],
          areaPercent: [16.667, 33.333, 50],
          inertia: 1,
          standardizedInertia: 1,
          mean: 100,
          std: 50,
        },
      },
      descriptors: { otsuThreshold: 117, foregroundFraction: 0.42, meanContrast: 0.125 },
    },
  });
}
