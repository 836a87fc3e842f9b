import path from "node:path";
import { dataDir } from "~/server/env";
import { DirectoryFeatureCache, type FeatureCache } from "~/server/inference/feature-cache";

/** THE persistent feature cache: DATA_DIR/cache/features/<model sha256>/<image sha256>.f32. */
export function featureCacheDirectory(): string {
  return path.join(dataDir(), "cache", "features");
}

export function persistentFeatureCache(): FeatureCache {
  return new DirectoryFeatureCache(featureCacheDirectory());
}
