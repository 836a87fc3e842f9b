/**
 * The measured descriptor vector (core/descriptors) of encoded images, through the same feature
 * cache as the pooled CNN features: keyed by a digest of the descriptor set's name and version in
 * place of a model's sha256, so a new descriptor version never reads old vectors.
 */
import "server-only";
import { createHash } from "node:crypto";
import { DESCRIPTOR_NAMES, DESCRIPTOR_SET_VERSION, imageDescriptors } from "~/core/descriptors/image-descriptors";
import { decodeRaster } from "~/server/codecs/decode-raster";
import type { FeatureCache } from "./feature-cache";
import { type EncodedImage, sha256Hex } from "./pooled-features";

/** Cache key standing in for a model sha256. */
export const DESCRIPTOR_CACHE_KEY = createHash("sha256")
  .update(`visual-ccc/descriptors/v${DESCRIPTOR_SET_VERSION}/${DESCRIPTOR_NAMES.join(",")}`)
  .digest("hex");

export type DescriptorEntry =
  { name: string; ok: true; descriptors: Float32Array } | { name: string; ok: false; error: string };

export async function computeDescriptorFeatures(options: {
  images: EncodedImage[];
  cache?: FeatureCache;
}): Promise<{ entries: DescriptorEntry[]; cacheHits: number }> {
  const entries: DescriptorEntry[] = [];
  let cacheHits = 0;
  for (const image of options.images) {
    const sha = sha256Hex(image.bytes);
    const cached = await options.cache?.get(DESCRIPTOR_CACHE_KEY, sha);
    if (cached && cached.length === DESCRIPTOR_NAMES.length) {
      cacheHits += 1;
      entries.push({ name: image.name, ok: true, descriptors: cached });
      continue;
    }
    try {
      const descriptors = imageDescriptors(await decodeRaster(image.bytes));
      await options.cache?.set(DESCRIPTOR_CACHE_KEY, sha, descriptors);
      entries.push({ name: image.name, ok: true, descriptors });
    } catch (error) {
      entries.push({ name: image.name, ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return { entries, cacheHits };
}
