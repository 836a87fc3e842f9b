/**
 * Pooled features of encoded images for one model, through the feature cache: cached images skip
 * decoding and the forward pass entirely.
 */
import "server-only";
import { createHash } from "node:crypto";

import { decodeRaster } from "~/server/codecs/decode-raster";

import { classifyPlanes } from "./classify";
import type { FeatureCache } from "./feature-cache";
import { preprocessRaster } from "./preprocess";
import { getModel } from "./session-cache";

export type EncodedImage = { name: string; bytes: Uint8Array };

export type PooledFeaturesResult = {
  modelSha256: string;
  /** Per input image, in order: its features, or why it could not be used. */
  entries: (
    | { name: string; imageSha256: string; ok: true; features: Float32Array }
    | { name: string; imageSha256: string; ok: false; error: string }
  )[];
  cacheHits: number;
};

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export async function computePooledFeatures(options: {
  model?: string;
  images: EncodedImage[];
  cache: FeatureCache;
  batchSize?: number;
  maxPixels?: number;
}): Promise<PooledFeaturesResult> {
  const model = await getModel(options.model);
  const entries: PooledFeaturesResult["entries"] = [];
  const pending: { slot: number; plane: Float32Array }[] = [];
  let cacheHits = 0;
  for (const image of options.images) {
    const imageSha256 = sha256Hex(image.bytes);
    const cached = await options.cache.get(model.sha256, imageSha256);
    if (cached && cached.length === model.shape.featureChannels) {
      cacheHits += 1;
      entries.push({ name: image.name, imageSha256, ok: true, features: cached });
      continue;
    }
    try {
      const plane = preprocessRaster(await decodeRaster(image.bytes, { maxPixels: options.maxPixels }));
      entries.push({ name: image.name, imageSha256, ok: true, features: new Float32Array(0) });
      pending.push({ slot: entries.length - 1, plane });
    } catch (error) {
      entries.push({
        name: image.name,
        imageSha256,
        ok: false,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  if (pending.length > 0) {
    const { results } = await classifyPlanes({
      model: model.path,
      planes: pending.map((p) => p.plane),
      batchSize: options.batchSize,
    });
    for (let i = 0; i < pending.length; i++) {
      const slot = pending[i]?.slot ?? -1;
      const entry = entries[slot];
      const features = results[i]?.pooledFeatures;
      if (!entry || !entry.ok || !features) throw new Error("internal: feature slot mismatch");
      entry.features = features;
      await options.cache.set(model.sha256, entry.imageSha256, features);
    }
  }
  return { modelSha256: model.sha256, entries, cacheHits };
}
