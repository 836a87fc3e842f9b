/**
 * sam2.embedding: whether an image of the project has its embedding for a model (so that clicks
 * are answered at once), and which model that is. NOT_FOUND for an image outside the project;
 * BAD_INPUT with the install hint when no model is ready.
 */
import "server-only";
import type { Db } from "~/server/db";
import { AppError } from "~/server/errors";
import type { BlobStore } from "~/server/storage";

import { findSam2Embedding, type ReadySam2Model } from "./ensure-sam2-embedding";
import { findReadySam2Model, Sam2ModelUnavailableError } from "./sam2-registry";

/** The ready model named `name` (or the default one); BAD_INPUT naming the problem otherwise. */
export async function readySam2ModelOrBadInput(name?: string | null): Promise<ReadySam2Model> {
  try {
    return (await findReadySam2Model(name)) as ReadySam2Model;
  } catch (error) {
    if (error instanceof Sam2ModelUnavailableError) throw new AppError("BAD_INPUT", error.message);
    throw error;
  }
}

/** The image (of the project) a SAM 2 request is about; NOT_FOUND otherwise. */
export async function findSam2Image(options: { db: Db; projectId: string; imageId: string }) {
  const image = await options.db.image.findFirst({
    where: { id: options.imageId, projectId: options.projectId },
    select: { id: true, sha256: true, blobKey: true, width: true, height: true, datasetId: true },
  });
  if (!image) throw new AppError("NOT_FOUND", "Image not found");
  return image;
}

export async function getSam2EmbeddingStatus(options: {
  db: Db;
  store: BlobStore;
  projectId: string;
  imageId: string;
  model?: string;
}): Promise<{ model: string; ready: boolean }> {
  const image = await findSam2Image(options);
  const model = await readySam2ModelOrBadInput(options.model);
  const blobKey = await findSam2Embedding({
    db: options.db,
    store: options.store,
    imageSha256: image.sha256,
    encoderSha256: model.card.encoder.sha256,
  });
  return { model: model.name, ready: blobKey !== null };
}
