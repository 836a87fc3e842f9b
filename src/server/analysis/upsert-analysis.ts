import { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/server/db";
import type { ComputedImageAnalysis } from "./compute-image-analysis";

/**
 * Writes a computed analysis as THE row for its (image, parameters): the first write creates it,
 * a repeat (retried job, re-run) replaces its contents, so there is never a duplicate.
 * Pass a transaction client to make the write part of a larger unit (job progress).
 */
export async function upsertAnalysis(options: {
  db: Db | Prisma.TransactionClient;
  analysis: ComputedImageAnalysis;
}): Promise<{ analysisId: string }> {
  const a = options.analysis;
  const data = {
    params: a.params,
    codeVersion: a.codeVersion,
    modelVersionId: a.modelVersionId,
    prediction: a.prediction,
    probabilities: a.probabilities ?? Prisma.DbNull,
    mapKeys: a.mapKeys,
    clusterStats: a.clusterStats,
    descriptors: a.descriptors,
  };
  const row = await options.db.analysis.upsert({
    where: { imageId_paramsHash: { imageId: a.imageId, paramsHash: a.paramsHash } },
    create: { imageId: a.imageId, paramsHash: a.paramsHash, ...data },
    update: data,
    select: { id: true },
  });
  return { analysisId: row.id };
}
