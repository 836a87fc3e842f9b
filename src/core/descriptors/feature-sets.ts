import { z } from "zod";

/**
 * What a classifier head reads: the CNN's pooled features, the measured image descriptors
 * (image-descriptors.ts), or both concatenated (CNN channels first).
 */
export const FEATURE_SETS = ["cnn", "descriptors", "both"] as const;
export type FeatureSet = (typeof FEATURE_SETS)[number];
export const featureSetSchema = z.enum(FEATURE_SETS);
